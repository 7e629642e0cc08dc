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
        // Python's numbers: no overflow, floor division and modulo towards minus infinity, ** and round as Python's.
        ("9223372036854775807 + 1 == 9223372036854775808", .bool(true)),
        ("str(9223372036854775807 + 1)", .string("9223372036854775808")),
        ("str((-9223372036854775807 - 1) // -1)", .string("9223372036854775808")),
        ("(-9223372036854775807 - 1) % -1", .int(0)),
        ("str(9223372036854775807 * 3)", .string("27670116110564327421")),
        ("str(10**30 // 7)", .string("142857142857142857142857142857")),
        ("2**63 - 1", .int(9_223_372_036_854_775_807)),
        ("(2**64) // (2**62)", .int(4)),
        ("-7 // 2", .int(-4)),
        ("7 % -3", .int(-2)),
        ("-7.5 // 2", .double(-4)),
        ("7.5 % -2", .double(-0.5)),
        ("2 ** -1", .double(0.5)),
        ("-2 ** 2", .int(-4)),
        ("round(2.5)", .int(2)),
        ("round(3.5)", .int(4)),
        ("round(2.675, 2)", .double(2.67)),
        ("round(1.5, 400)", .double(1.5)),
        ("round(1.5, 9223372036854775807)", .double(1.5)),
        ("str(round(1e20))", .string("100000000000000000000")),
        ("round(1234, -2)", .int(1200)),
        ("round(1250, -2)", .int(1200)),
        ("1e3", .double(1000)),
        ("sum([9223372036854775807, 1]) == 2**63", .bool(true)),
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

    @Test("Python's errors where a number cannot be: OverflowError, ZeroDivisionError, MemoryError, ValueError", arguments: [
        ("range(2**63)", "OverflowError: Python int too large to convert to C ssize_t"),
        ("round(1e400)", "OverflowError: cannot convert float infinity to integer"),
        ("1 // 0", "ZeroDivisionError: integer division or modulo by zero"),
        ("2**99999999", "MemoryError"),
        ("'ab' * 99999999999", "MemoryError"),
        ("len(range(99999999999))", "MemoryError"),
        ("(2**2000) * 1.0", "OverflowError: int too large to convert to float"),
    ])
    func numberErrors(source: String, prefix: String) throws {
        do {
            let value = try Self.value(source)
            Issue.record("\(source) gave \(value.repr)")
        } catch {
            #expect(String(describing: error).hasPrefix(prefix), "\(source): \(error)")
        }
    }

    @Test("nesting past 100 levels is a syntax error, not a stack overflow")
    func deepNesting() {
        #expect(throws: SyntaxError.self) { try ExpressionParser.parse(String(repeating: "(", count: 5_000) + "1" + String(repeating: ")", count: 5_000)) }
        #expect(throws: SyntaxError.self) { try ExpressionParser.parse(String(repeating: "-", count: 5_000) + "1") }
        #expect(throws: SyntaxError.self) { try ExpressionParser.parse(String(repeating: "[", count: 5_000)) }
        #expect(throws: Never.self) { try ExpressionParser.parse(String(repeating: "(", count: 50) + "1" + String(repeating: ")", count: 50)) }
    }
}
