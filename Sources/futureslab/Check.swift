import ArgumentParser
import FuturesScenario

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate scenario files without running them.",
        discussion: "Every problem is printed as file:line:col: error: message; exit 2 if any file is invalid.")

    @Argument(help: "Scenario files.")
    var files: [String]

    func run() throws {
        var invalid = false
        for file in files {
            switch ScenarioParser.parse(file: file) {
            case .success(let scenario): print("ok  \(file) — \(scenario.title)")
            case .failure(let errors):
                invalid = true
                printError(errors.description)
            }
        }
        if invalid { throw ExitCode(2) }
    }
}
