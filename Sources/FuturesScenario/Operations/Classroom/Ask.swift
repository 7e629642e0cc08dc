/// `- ask: {question: "Which result prints first?", choices: […], answer: "= first"}`:
/// a question the run answers. The dashboard pauses on it (here, or at the
/// start with `ask_at: start`), takes the class's prediction, and reveals the
/// answer the run gave; reports list it with its answer.
public struct AskOperation: Operation {
    public static let key = "ask"
    public static let summary = "A question the run answers: the dashboard pauses, the class predicts (a choice's number, or enter), space reveals the run's answer and the explanation."
    public static let example = #"- ask: {question: "When does the loop print loiter(4)'s result?", choices: ["at 1 s", "at 5 s"], answer: "= 'at ' + str(round(t)) + ' s'", ask_at: start}"#
    public static let fields = [
        Field.required("question", .text, "what the class is asked"),
        Field("choices", .list(.text), "numbered answers to pick from (the dashboard takes 1–9); none: an open question"),
        Field.required("answer", .expression, "the run's answer, evaluated when the run reaches the step (`= first_label`, or a literal); a choice is right when its text equals the answer"),
        Field("explain", .text, "shown with the answer"),
        Field("ask_at", .choice(["here", "start"]), default: "here",
              "when the dashboard asks: `here` (when the run reaches the step) or `start` (before the run plays, for a prediction; the answer still comes from this step)"),
    ]
    public static let form = OperationForm.mapping

    public var question: String
    public var choices: [String]
    public var answer: Expression
    public var explain: String?
    public var atStart: Bool

    public static func read(_ input: OperationInput) -> Self? {
        guard let question = input.text("question"), let answer = input.expression("answer") else { return nil }
        let choices = input.texts("choices")
        if choices.count > 9 { input.error("ask: at most 9 choices (the dashboard takes the keys 1–9), not \(choices.count)") }
        return Self(question: question, choices: choices, answer: answer, explain: input.text("explain"),
                    atStart: input.choice("ask_at", default: "here") == "start")
    }

    public var reads: [String] { answer.names }
}
