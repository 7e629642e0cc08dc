/// `- log: "loiter({n}): done."`: a timestamped line in the run's log.
public struct LogOperation: Operation {
    public static let key = "log"
    public static let summary = "A line in the log, stamped with the run's clock (`[+1.000s] loiter(1): done.`)."
    public static let python = "display(f\"loiter({n}): done.\")"
    public static let example = "- log: \"loiter({n}): done.\""
    public static let fields = [Field.required("text", .template, "the line, with {expression} holes")]
    public static let form = OperationForm.value("text")

    public var text: Template

    public static func read(_ input: OperationInput) -> Self? { input.template("text").map(Self.init) }
    public var reads: [String] { text.names }
}

/// `- note: "…"`: classroom narration, shown as the program reaches it.
public struct NoteOperation: Operation {
    public static let key = "note"
    public static let summary = "Narration for the classroom, shown (▸) when the program reaches it."
    public static let example = "- note: \"map submits all five calls at once.\""
    public static let fields = [Field.required("text", .text, "the narration (plain text)")]
    public static let form = OperationForm.value("text")

    public var text: String

    public static func read(_ input: OperationInput) -> Self? { input.text("text").map(Self.init) }
}
