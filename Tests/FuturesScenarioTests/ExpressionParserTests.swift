@testable import FuturesScenario
import Testing

/// The expression language on its own: precedence, values as Python computes
/// them, the names an expression reads, and syntax errors at their offset.
@Suite("Expressions")
struct ExpressionParserTests {
    static func value(_ source: String, _ scope: [String: Value] = [:]) throws -> Value {
        try ExpressionParser.parse(source).evaluate(in: scope)
    }

    @Test("precedence and Python's arithmetic", arguments: [
        ("1 + 2 * 3", Value.int(7)),
        ("(1 + 2) * 3", .int(9)),
        ("7 // 2", .int(3)),
        ("-7 // 2", .int(-4)),
        ("-7 % 3", .int(2)),
        ("7 / 2", .double(3.5)),
        ("2 * 3 == 6", .bool(true)),
        ("1 < 2", .bool(true)),
        ("'a' + 'b'", .string("ab")),
        ("[1, 2, 3][1]", .int(2)),
        ("len(range(5))", .int(5)),
        ("sum([1, 2, 3])", .int(6)),
        ("max(3, 9, 4)", .int(9)),
        ("round(2.567, 2)", .double(2.57)),
        ("str(10) + 'x'", .string("10x")),
        ("count([1, 2, 1], 1)", .int(2)),
        ("upper('br')", .string("BR")),
        ("1 < 2 and 3 < 4", .bool(true)),
        ("1 < 2 and 3 > 4", .bool(false)),
        ("0 or 'x'", .string("x")),
        ("0 and undefined_name", .int(0)),
        ("1 or undefined_name", .int(1)),
        ("not 0", .bool(true)),
        ("not 1 == 1", .bool(false)),
        ("not [] and 2", .int(2)),
        ("True or False and False", .bool(true)),
        ("(True or False) and False", .bool(false)),
    ] as [(String, Value)])
    func evaluates(source: String, expected: Value) throws {
        #expect(try Self.value(source) == expected, "\(source)")
    }

    @Test("names read, in order, through calls, lists and indexing")
    func names() throws {
        #expect(try ExpressionParser.parse("results[i] + len(done) * n").names == ["results", "i", "done", "n"])
        #expect(try ExpressionParser.parse("[a, 'b', c]").names == ["a", "c"])
        #expect(try ExpressionParser.parse("3 + 4").names.isEmpty)
    }

    @Test("Python's errors, in Python's words", arguments: [
        ("1 / 0", "ZeroDivisionError: division by zero"),
        ("1 // 0", "ZeroDivisionError: integer division or modulo by zero"),
        ("missing + 1", "NameError"),
        ("[1][5]", "IndexError"),
    ])
    func errors(source: String, message: String) {
        #expect(throws: EvaluationError.self) { try Self.value(source) }
        do { _ = try Self.value(source) } catch { #expect("\(error)".contains(message), "\(source): \(error)") }
    }

    @Test("syntax errors name their offset", arguments: [
        ("1 +", 3),
        ("(1 + 2", 6),
        ("1 2", 2),
        ("len(", 4),
    ])
    func syntax(source: String, offset: Int) {
        do {
            _ = try ExpressionParser.parse(source)
            Issue.record("\(source) parsed")
        } catch {
            #expect(error.offset == offset, "\(source): \(error.message) at \(error.offset)")
        }
    }

    @Test("templates: holes, escaped braces, and an unclosed hole at its offset")
    func templates() throws {
        let template = try Template(parsing: "loiter({n}): {{done}} {n * 10}")
        #expect(try template.render(in: ["n": .int(3)]) == "loiter(3): {done} 30")
        #expect(template.names == ["n", "n"])
        do {
            _ = try Template(parsing: "abc {n")
            Issue.record("an unclosed hole parsed")
        } catch {
            #expect(error.offset == 4)
        }
    }
}
