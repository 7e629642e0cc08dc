import Foundation
import Yams

/// Typed reads from Yams nodes that record a diagnostic (with the node's
/// place) instead of throwing, so that one pass finds every problem.
final class NodeReader {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []
    /// The scenario's parameters in force: a literal field written
    /// `"= expression"` (`max_workers: "= workers"`) is computed over them.
    var params: [String: Value] = [:]

    init(file: String) {
        self.file = file
    }

    var start: SourceLocation { SourceLocation(file: file, line: 1, column: 1) }

    func location(_ node: Node) -> SourceLocation {
        guard let mark = node.mark else { return start }
        return SourceLocation(file: file, line: mark.line, column: mark.column)
    }

    func error(_ node: Node, _ message: String) {
        error(location(node), message)
    }

    func error(_ location: SourceLocation, _ message: String) {
        diagnostics.append(Diagnostic(location, message))
    }

    func diagnostic(for error: YamlError) -> Diagnostic {
        switch error {
        case .scanner(_, let problem, let mark, let yaml), .parser(_, let problem, let mark, let yaml), .composer(_, let problem, let mark, let yaml):
            return Diagnostic(Self.clamped(line: mark.line, column: mark.column, in: yaml, file: file), "YAML: \(problem)")
        case .reader(let problem, let offset, let value, let yaml):
            // libyaml counts the offending character's offset in bytes: its line and column.
            let (line, column) = Self.position(ofByte: offset ?? 0, in: yaml)
            let character = value >= 0 && value < 0x20 || value == 0x7F ? String(format: " (U+%04X)", value) : ""
            return Diagnostic(Self.clamped(line: line, column: column, in: yaml, file: file), "YAML: \(problem)\(character)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let mark = context.mark
            return Diagnostic(SourceLocation(file: file, line: mark.line, column: mark.column),
                              "duplicate key\(duplicates.count > 1 ? "s" : "") \(duplicates.map { "'\($0)'" }.joined(separator: ", "))")
        default:
            return Diagnostic(start, "YAML: \(error)")
        }
    }

    /// The line and column (from 1) of a byte offset.
    static func position(ofByte offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for byte in text.utf8.prefix(max(0, offset)) {
            if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return (line, column)
    }

    /// A position as the reader gives it, kept inside the text: a file cut
    /// without a final newline ends on its last line, not one past it.
    static func clamped(line: Int, column: Int, in text: String, file: String) -> SourceLocation {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let count = text.hasSuffix("\n") ? lines.count - 1 : lines.count
        guard count > 0, line > count else { return SourceLocation(file: file, line: max(1, line), column: max(1, column)) }
        return SourceLocation(file: file, line: count, column: lines[count - 1].count + 1)
    }

    // MARK: - Shapes

    /// A mapping's entries in file order, after checking its keys: each must be
    /// a string, known, and the required ones present.
    func mapping(_ node: Node, _ what: String, allowed: [String], required: [String] = []) -> [(key: String, node: Node)]? {
        guard case .mapping(let mapping) = node else {
            error(node, "\(what) must be a mapping (key: value), not \(shape(of: node))")
            return nil
        }
        var entries: [(key: String, node: Node)] = []
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                error(keyNode, "\(what): keys must be names")
                continue
            }
            if !allowed.contains(key) {
                let hint = closest(to: key, in: allowed).map { " (did you mean '\($0)'?)" } ?? ""
                error(keyNode, "unknown key '\(key)' in \(what)\(hint); known keys: \(allowed.joined(separator: ", "))")
                continue
            }
            entries.append((key, value))
        }
        for key in required where !entries.contains(where: { $0.key == key }) {
            error(node, "\(what) needs '\(key)'")
        }
        return entries
    }

    func sequence(_ node: Node, _ what: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            error(node, "\(what) must be a list, not \(shape(of: node))")
            return nil
        }
        return Array(sequence)
    }

    func shape(of node: Node) -> String {
        switch node {
        case .scalar(let scalar): scalar.string.isEmpty ? "an empty value" : "'\(scalar.string)'"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    // MARK: - Scalars

    func string(_ node: Node, _ what: String) -> String? {
        guard case .scalar(let scalar) = node else {
            error(node, "\(what) must be text, not \(shape(of: node))")
            return nil
        }
        return scalar.string
    }

    /// A name: letters, digits and underscores, not starting with a digit.
    func identifier(_ node: Node, _ what: String) -> String? {
        guard let text = string(node, what) else { return nil }
        guard let first = text.first, first.isLetter || first == "_",
              text.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
            error(node, "\(what) must be a name (letters, digits, _), not '\(text)'")
            return nil
        }
        return text
    }

    /// A literal field written `"= expression"`: its value over the
    /// parameters; nil when the field is written as a literal. A failure is
    /// recorded here.
    private func computed(_ node: Node, _ what: String) -> Result<Value, EvaluationError>? {
        guard case .scalar(let scalar) = node, scalar.style != .plain, scalar.string.hasPrefix("=") else { return nil }
        let text = String(scalar.string.dropFirst())
        do {
            let value = try ExpressionParser.parse(text).evaluate(in: params)
            return .success(value)
        } catch let problem as EvaluationError {
            error(node, "\(what): \(problem.description) in '\(scalar.string)' (a literal field reads only the parameters)")
            return .failure(problem)
        } catch let problem {
            error(node, "\(what): cannot read '\(scalar.string)': \(problem)")
            return .failure(EvaluationError("\(problem)"))
        }
    }

    func int(_ node: Node, _ what: String, minimum: Int? = nil) -> Int? {
        if let computed = computed(node, what) {
            guard case .success(let value) = computed else { return nil }
            guard case .int(let number) = value else {
                error(node, "\(what) must be a whole number, not \(value.repr)")
                return nil
            }
            if let minimum, number < minimum {
                error(node, "\(what) must be at least \(minimum), not \(number)")
                return nil
            }
            return number
        }
        guard case .scalar(let scalar) = node, scalar.style == .plain, let value = Int(scalar.string) else {
            error(node, "\(what) must be a whole number, not \(shape(of: node))")
            return nil
        }
        if let minimum, value < minimum {
            error(node, "\(what) must be at least \(minimum), not \(value)")
            return nil
        }
        return value
    }

    func number(_ node: Node, _ what: String) -> Double? {
        if let computed = computed(node, what) {
            switch computed {
            case .success(.int(let whole)): return Double(whole)
            case .success(.double(let real)) where real.isFinite: return real
            case .success(let value):
                error(node, "\(what) must be a number, not \(value.repr)")
                return nil
            case .failure: return nil
            }
        }
        guard case .scalar(let scalar) = node, scalar.style == .plain, let value = Double(scalar.string), value.isFinite else {
            error(node, "\(what) must be a number, not \(shape(of: node))")
            return nil
        }
        return value
    }

    func bool(_ node: Node, _ what: String) -> Bool? {
        if let computed = computed(node, what) {
            switch computed {
            case .success(.bool(let flag)): return flag
            case .success(let value):
                error(node, "\(what) must be true or false, not \(value.repr)")
                return nil
            case .failure: return nil
            }
        }
        if case .scalar(let scalar) = node, scalar.style == .plain {
            switch scalar.string.lowercased() {
            case "true", "yes": return true
            case "false", "no": return false
            default: break
            }
        }
        error(node, "\(what) must be true or false, not \(shape(of: node))")
        return nil
    }

    /// A plain scalar is an expression (`n * 10`, `3`, `range(5)`); a quoted
    /// one is text, unless it starts with `=` (`"= total + [x]"`: an
    /// expression that YAML's flow syntax would not take bare); a list is a
    /// list of expressions.
    func expression(_ node: Node, _ what: String) -> Expression? {
        switch node {
        case .scalar(let scalar):
            if scalar.style != .plain, scalar.string.hasPrefix("=") {
                do {
                    return try ExpressionParser.parse(String(scalar.string.dropFirst()))
                } catch {
                    var place = location(node)
                    place.column += error.offset + 2
                    self.error(place, "\(what): \(error.message) in '\(scalar.string)'")
                    return nil
                }
            }
            if scalar.style != .plain { return .literal(.string(scalar.string)) }
            switch scalar.string {
            case "", "~", "null": return .literal(.none)
            case "true": return .literal(.bool(true))
            case "false": return .literal(.bool(false))
            default: break
            }
            do {
                return try ExpressionParser.parse(scalar.string)
            } catch {
                var place = location(node)
                place.column += error.offset
                self.error(place, "\(what): \(error.message) in '\(scalar.string)'")
                return nil
            }
        case .sequence(let sequence):
            let items = sequence.map { expression($0, what) }
            let parsed = items.compactMap { $0 }
            return parsed.count == items.count ? .list(parsed) : nil
        default:
            error(node, "\(what) must be a value or an expression, not \(shape(of: node))")
            return nil
        }
    }

    /// A literal value (expectations compare against these).
    func value(_ node: Node, _ what: String) -> Value? {
        guard let expression = expression(node, what) else { return nil }
        do {
            return try expression.evaluate(in: params)
        } catch {
            self.error(node, "\(what) must be a plain value (no names but the parameters): \(error)")
            return nil
        }
    }

    func template(_ node: Node, _ what: String) -> Template? {
        guard let text = string(node, what) else { return nil }
        do {
            return try Template(parsing: text)
        } catch {
            var place = location(node)
            place.column += error.offset + (node.scalar?.style == .plain ? 0 : 1)
            self.error(place, "\(what): \(error.message)")
            return nil
        }
    }

    /// The allowed word nearest to a misspelt one (edit distance ≤ 2).
    func closest(to word: String, in candidates: [String]) -> String? {
        candidates
            .map { ($0, editDistance(word, $0)) }
            .filter { $0.1 <= 2 }
            .min { $0.1 < $1.1 }?.0
    }

    private func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in 1...max(1, b.count) where !b.isEmpty {
                let saved = row[j]
                row[j] = a[i - 1] == b[j - 1] ? previous : 1 + min(previous, row[j], row[j - 1])
                previous = saved
            }
        }
        return row[b.count]
    }
}
