import ArgumentParser
import FuturesReport
import FuturesRunner
import FuturesScenario
#if canImport(Glibc)
import Glibc
#endif

extension RuntimeSpec.Kind: ExpressibleByArgument {}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a scenario and print its report.",
        discussion: """
            On a terminal, the dashboard opens (? for its keys); with --headless, \
            --json, or when stdout is not a terminal, the report is printed: the log, \
            the timeline, the futures, the expectations. Nothing runs if the file is \
            invalid (its problems go to stderr as file:line:col, exit 2).
            """)

    @Argument(help: "The scenario file (YAML or JSON).")
    var file: String

    @Option(help: "The deterministic scheduler's seed (overrides the file's).")
    var seed: UInt64?

    @Option(help: "deterministic or native (overrides the file's).")
    var runtime: RuntimeSpec.Kind?

    @Option(name: .customLong("set"), help: ArgumentHelp(
        "Set a parameter the scenario declares under `params:` (repeatable), e.g. --set workers=5.",
        valueName: "name=value"))
    var settings: [String] = []

    @Option(help: "Write the run's trace (JSON Lines, docs/trace-format.md) here.")
    var trace: String?

    @Option(help: "Save files that downloads fetch here (default: a new temporary directory per run).")
    var downloads: String?

    @Flag(help: "Print the report instead of opening the dashboard (the default when stdout is not a terminal).")
    var headless = false

    @OptionGroup var report: ReportOptions

    @OptionGroup var playback: PlaybackOptions

    func run() throws {
        var parsedSettings: [(name: String, value: Value)] = []
        for setting in settings {
            guard let equals = setting.firstIndex(of: "="), equals != setting.startIndex else {
                throw ValidationError("--set takes name=value (a parameter the scenario declares), not '\(setting)'")
            }
            parsedSettings.append((String(setting[..<equals]), Value.setting(String(setting[setting.index(after: equals)...]))))
        }
        let scenario: Scenario
        switch ScenarioParser.parse(file: file, settings: parsedSettings) {
        case .success(let parsed): scenario = parsed
        case .failure(let errors):
            printError(errors.description)
            throw ExitCode(RunExitCode.invalidInput.rawValue)
        }
        if let refusal = scenario.refusal(in: runtime ?? scenario.runtime.kind) {
            printError(refusal)
            throw ExitCode(RunExitCode.invalidInput.rawValue)
        }
        if report.opensDashboard(headless: headless) {
            var options = RunOptions(seed: seed, runtime: runtime)
            options.downloads = downloads
            options.onStart = nil
            let status = DashboardSession(source: .scenario(scenario, options), view: playback.view(color: report.wantsColor)).run()
            if status != 0 { throw ExitCode(status) }
            return
        }
        let progress = Progress(enabled: (runtime ?? scenario.runtime.kind) == .native && isatty(STDERR_FILENO) != 0)
        var options = RunOptions(seed: seed, runtime: runtime)
        options.downloads = downloads
        options.onStart = { live in progress.start { live.counts } }
        let result = ScenarioRunner.run(scenario, options: options)
        progress.stop()
        if let trace { try write(result.traceText, to: trace) }
        print(report.json ? SummaryJSON.render(result.model) : HeadlessReport.render(result.model, style: report.style), terminator: "")
        if let uncaught = result.uncaughtError, !report.json {
            printError("\(scenario.file): the main program raised \(uncaught)")
        }
        if result.exitCode != .success { throw ExitCode(result.exitCode.rawValue) }
    }
}
