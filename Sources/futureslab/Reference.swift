import ArgumentParser
import FuturesScenario

/// `futureslab schema`: the JSON Schema of scenario files, generated from the
/// operation registry (schema/scenario.schema.json is this output).
struct Schema: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the JSON Schema of scenario files (generated from the operations).")

    func run() throws {
        print(ScenarioSchema.json(), terminator: "")
    }
}

/// `futureslab operations`: the operation reference in Markdown
/// (docs/operations.md is this output).
struct Operations: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the reference of scenario operations, in Markdown (generated from the operations).")

    func run() throws {
        print(OperationReference.markdown(), terminator: "")
    }
}
