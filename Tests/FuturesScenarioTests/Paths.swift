import Foundation

/// Places in the repository, found from this file's path.
enum Paths {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static let scenarios = root + "/scenarios"
    static let goldens = root + "/Tests/FuturesScenarioTests/Goldens"
    static let malformed = root + "/Tests/FuturesScenarioTests/Malformed"

    /// Every scenario file shipped, sorted.
    static func scenarioFiles() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: scenarios)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") || $0.hasSuffix(".json") }
            .sorted()
    }

    /// The `futureslab` executable next to the test bundle (built by `swift build`/`swift test`),
    /// or `FUTURESLAB_EXECUTABLE` (a long fuzz campaign on the release build).
    static var executable: String {
        if let path = ProcessInfo.processInfo.environment["FUTURESLAB_EXECUTABLE"], !path.isEmpty { return path }
        var url = Bundle.main.bundleURL
        for candidate in [url.path, url.deletingLastPathComponent().path] {
            let path = candidate + "/futureslab"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        url = URL(fileURLWithPath: root + "/.build/debug/futureslab")
        return url.path
    }
}
