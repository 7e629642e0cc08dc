import Foundation
import FuturesScenario
import Testing

/// A corpus of broken scenario files (Tests/FuturesScenarioTests/Malformed):
/// each names, in `# expect: LINE:COL: text` lines (or a `.expect` file beside
/// a JSON one), every problem the reader must report — all of them, at once,
/// at that place.
@Suite("Malformed scenarios")
struct MalformedScenarioTests {
    static let files: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: Paths.malformed)) ?? [])
        .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }
        .sorted()

    static func expectations(for file: String) throws -> [(place: String, text: String)] {
        let path = Paths.malformed + "/" + file
        let source = file.hasSuffix(".json")
            ? try String(contentsOfFile: path + ".expect", encoding: .utf8).split(separator: "\n").map { "# expect: " + $0 }
            : try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        return source.compactMap { line in
            guard line.hasPrefix("# expect: ") else { return nil }
            let rest = line.dropFirst("# expect: ".count)
            let parts = rest.split(separator: ":", maxSplits: 2)
            guard parts.count == 3 else { return nil }
            return ("\(parts[0]):\(parts[1])", parts[2].trimmingCharacters(in: .whitespaces))
        }
    }

    @Test("the corpus covers many kinds of mistakes")
    func corpusSize() {
        #expect(Self.files.count >= 12)
    }

    @Test("each malformed file is rejected with every problem at its file:line:col", arguments: files)
    func rejected(file: String) throws {
        let path = Paths.malformed + "/" + file
        let expected = try Self.expectations(for: file)
        #expect(!expected.isEmpty, "\(file) states no expectation")
        guard case .failure(let errors) = ScenarioParser.parse(file: path) else {
            Issue.record("\(file) was accepted")
            return
        }
        let printed = errors.diagnostics.map(\.description)
        for (place, text) in expected {
            let wanted = "\(path):\(place): error: "
            #expect(printed.contains { $0.hasPrefix(wanted) && $0.contains(text) },
                    "\(file): no diagnostic \(place): \(text)\ngot:\n\(printed.joined(separator: "\n"))")
        }
    }
}
