import Foundation
import Yams

/// Reads a scenario file (YAML, or JSON, which is YAML too) into a `Scenario`,
/// or every problem it finds, each with `file:line:col`. Nothing is run.
///
/// Why a hand-written walk over Yams' node tree rather than `Decodable`: the
/// decoder loses the marks (line and column) and stops at the first error;
/// teachers need every problem at once, each with its place.
public enum ScenarioParser {
    /// - Parameter settings: parameter values instead of the defaults (`run --set`),
    ///   each checked against its declaration.
    public static func parse(file path: String, settings: [(name: String, value: Value)] = []) -> Result<Scenario, ScenarioErrors> {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot read the file" : "no such file"
            return .failure(ScenarioErrors(diagnostics: [Diagnostic(SourceLocation(file: path, line: 1, column: 1), reason)]))
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failure(ScenarioErrors(diagnostics: [Diagnostic(SourceLocation(file: path, line: 1, column: 1), "the file is not UTF-8 text")]))
        }
        return parse(text, file: path, settings: settings)
    }

    public static func parse(_ text: String, file: String, settings: [(name: String, value: Value)] = []) -> Result<Scenario, ScenarioErrors> {
        let reader = NodeReader(file: file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            var diagnostic = reader.diagnostic(for: error)
            if case .duplicatedKeysInMapping(let duplicates, _) = error, let key = duplicates.first,
               let place = secondOccurrence(ofKey: key, in: text) {
                diagnostic.location.line = place.line
                diagnostic.location.column = place.column
            }
            return .failure(ScenarioErrors(diagnostics: [diagnostic]))
        } catch {
            return .failure(ScenarioErrors(diagnostics: [Diagnostic(reader.start, "\(error)")]))
        }
        guard let root else {
            return .failure(ScenarioErrors(diagnostics: [Diagnostic(reader.start, "the file is empty: a scenario needs at least `title` and `main`")]))
        }
        let scenario = ScenarioBuilder(reader: reader, settings: settings).build(root)
        if reader.diagnostics.isEmpty, let scenario { return .success(scenario) }
        return .failure(ScenarioErrors(diagnostics: reader.diagnostics.sorted {
            ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column)
        }))
    }

    /// Where a key is written the second time (`key:` at the start of a line,
    /// after indentation or a list dash): YAML reports only the mapping.
    static func secondOccurrence(ofKey key: String, in text: String) -> (line: Int, column: Int)? {
        var seen = 0
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var rest = Substring(line)
            var column = 1
            while let first = rest.first, first == " " || first == "-" { rest = rest.dropFirst(); column += 1 }
            for quote in ["", "\"", "'"] where rest.hasPrefix(quote + key + quote + ":") {
                seen += 1
                if seen == 2 { return (index + 1, column) }
            }
        }
        return nil
    }
}
