import Foundation
import Testing

/// The README's count of shipped scenarios is the project's. (Operations are
/// not counted there: adding one should touch its own files, the registry
/// and a fixture, not the README.)
@Suite("README counts")
struct ReadmeCountTests {
    @Test("the README states how many scenarios ship")
    func counts() throws {
        let readme = try String(contentsOfFile: Paths.root + "/README.md", encoding: .utf8)
        #expect(readme.contains("(\(Paths.scenarioFiles().count) scenarios in all)"))
    }
}
