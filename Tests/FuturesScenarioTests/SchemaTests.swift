import Foundation
@testable import FuturesScenario
import Testing

/// `schema/scenario.schema.json` must describe what the reader accepts: the
/// same top-level keys, operations and expectation checks.
@Suite("Scenario schema")
struct SchemaTests {
    static func schema() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: Paths.root + "/schema/scenario.schema.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The single key of each alternative of a `oneOf`.
    static func keys(ofAlternatives alternatives: Any?) -> Set<String> {
        Set(((alternatives as? [[String: Any]]) ?? []).flatMap { (($0["required"] as? [String]) ?? []) })
    }

    @Test("the schema's top-level keys, operations and checks are the reader's")
    func inSync() throws {
        let schema = try Self.schema()
        let properties = try #require(schema["properties"] as? [String: Any])
        #expect(Set(properties.keys) == Set(ScenarioBuilder.topKeys))
        let definitions = try #require(schema["$defs"] as? [String: Any])
        let step = try #require(definitions["step"] as? [String: Any])
        #expect(Self.keys(ofAlternatives: step["oneOf"]) == Set(ScenarioBuilder.operations))
        let expect = try #require(properties["expect"] as? [String: Any])
        let items = try #require(expect["items"] as? [String: Any])
        #expect(Self.keys(ofAlternatives: items["oneOf"]) == Set(ScenarioBuilder.checks))
    }
}
