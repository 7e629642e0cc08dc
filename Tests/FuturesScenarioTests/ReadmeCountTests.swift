import Foundation
import FuturesScenario
import Testing

/// The README's counts are the project's: scenarios shipped, operations registered.
@Suite("README counts")
struct ReadmeCountTests {
    @Test("the README states how many scenarios ship and how many operations are registered")
    func counts() throws {
        let readme = try String(contentsOfFile: Paths.root + "/README.md", encoding: .utf8)
        #expect(readme.contains("(\(Paths.scenarioFiles().count) scenarios in all)"))
        #expect(readme.contains("one type per scenario operation (\(OperationRegistry.all.count), in `OperationRegistry`)"))
    }
}
