import FuturesScenario
import FuturesTrace
import FuturesTraceSchema

extension AskOperation: RunnableOperation {
    /// Records the question with the run's answer. An answer that cannot be
    /// computed does not stop the run: the question shows the error as its answer.
    func run(in interpreter: Interpreter, scope: Interpreter.Scope) throws -> Interpreter.Flow {
        let answer: String
        do {
            answer = try interpreter.evaluate(self.answer, scope).description
        } catch let raised as ScenarioRaised {
            answer = "(the answer could not be computed: \(raised.type): \(raised.message))"
        } catch {
            answer = "(the answer could not be computed: \(error))"
        }
        interpreter.record(.question(.init(text: question, choices: choices, answer: answer, explain: explain, atStart: atStart)))
        return .next
    }
}
