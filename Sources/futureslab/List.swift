import ArgumentParser
import Foundation
import FuturesScenario

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the scenarios in a directory, with their titles.")

    @Argument(help: "The directory (default: scenarios).")
    var directory = "scenarios"

    func run() throws {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            printError("\(directory): no such directory")
            throw ExitCode(2)
        }
        let files = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") || $0.hasSuffix(".json") }.sorted()
        let width = files.map(\.count).max() ?? 0
        for name in files {
            let path = directory + "/" + name
            switch ScenarioParser.parse(file: path) {
            case .success(let scenario): print(name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + scenario.title)
            case .failure(let errors):
                print(name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + "(invalid: \(errors.diagnostics.count) problem\(errors.diagnostics.count == 1 ? "" : "s"); see `futureslab check \(path)`)")
            }
        }
    }
}
