import FuturesScenario
import Testing

/// The scope checker on small programs: names bound before they are read, in
/// Python's order; a loop's or handler's own names; both arms of an `if`; a
/// task reading main's variables when it runs.
@Suite("Scope checker")
struct ScopeCheckerTests {
    /// The diagnostics for a scenario with `steps` in main (and a task `t`).
    static func problems(main steps: String, task: String = "[{return: 0}]") -> [String] {
        let text = """
            title: t
            executors: [{name: pool}]
            tasks:
              t: {params: [n], steps: \(task)}
            main:
            \(steps)
            """
        switch ScenarioParser.parse(text, file: "s.yaml") {
        case .success: return []
        case .failure(let errors): return errors.diagnostics.map(\.message)
        }
    }

    @Test("a name read before the step that binds it is named as such; an unknown one as not defined")
    func order() {
        #expect(Self.problems(main: "  - log: \"{x}\"\n  - set: {name: x, value: 1}") == ["main: 'x' is used before it exists (it is bound by a later step)"])
        #expect(Self.problems(main: "  - log: \"{y}\"") == ["main: 'y' is not defined"])
        #expect(Self.problems(main: "  - set: {name: x, value: 1}\n  - log: \"{x}\"").isEmpty)
    }

    @Test("a loop's variable is bound inside its body; a measure's name only after it")
    func bodies() {
        #expect(Self.problems(main: "  - for: {each: i, in: range(3), do: [{log: \"{i}\"}]}").isEmpty)
        #expect(Self.problems(main: "  - as_completed: {futures: [], do: [{log: \"{future}\"}]}").isEmpty)
        #expect(Self.problems(main: "  - measure: {name: m, do: [{log: \"{m}\"}]}").count == 1)
        #expect(Self.problems(main: "  - measure: {name: m, do: []}\n  - log: \"{m}\"").isEmpty)
    }

    @Test("a handler sees `error`; the names either arm of an if binds are in scope after it")
    func branches() {
        #expect(Self.problems(main: "  - try: {do: [], except: {Exception: [{log: \"{error}\"}]}}").isEmpty)
        #expect(Self.problems(main: "  - log: \"{error}\"") == ["main: 'error' is not defined"])
        let arms = "  - if: {condition: true, then: [{set: {name: a, value: 1}}], else: [{set: {name: b, value: 2}}]}\n  - log: \"{a} {b}\""
        #expect(Self.problems(main: arms).isEmpty)
    }

    @Test("a task reads its parameters, its locals and — when it runs — main's variables; not unknown names")
    func tasks() {
        #expect(Self.problems(main: "  - set: {name: g, value: 1}", task: "[{log: \"{n} {g}\"}]").isEmpty)
        #expect(Self.problems(main: "  - set: {name: g, value: 1}", task: "[{log: \"{nope}\"}]") == ["task 't': 'nope' is not defined"])
    }

    @Test("a callback's log has `future`; an object operand given as a variable is a read")
    func callbacksAndOperands() {
        #expect(Self.problems(main: "  - submit: {executor: pool, task: t, args: [1], as: f}\n  - add_done_callback: {future: f, log: \"{future}\"}").isEmpty)
        #expect(Self.problems(main: "  - release: gate") == ["main: 'gate' is not defined"])
    }
}
