import Foundation

/// The JVM's side of the benchmark: `JavaBaseline.java` (beside this file),
/// compiled with `javac` into a temporary directory and run with `java` in
/// the same invocation, so that our pool, CPython's and Java's
/// `Executors.newFixedThreadPool` are measured on the same minute of the same
/// machine.
///
/// Java is optional: without a JDK (`apt-get install default-jdk-headless`),
/// or when compiling or running fails or takes too long, the Java keys are
/// left out and `run` says why; the benchmark never fails for a missing anchor.
enum JavaBaseline {
    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    /// The source, found beside this file in the package's tree.
    static let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("JavaBaseline.java").path

    /// How long compiling, and then the measurements, may take.
    static let compileSeconds = 120.0
    static let runSeconds = 300.0

    /// The Java figures (`tp_submit_wait_per_s`, `rtt_median_us`,
    /// `rtt_p99_us`, `java_version`), measured as ours are: `tasks` no-op
    /// submits then a wait for all (the median of `repeats` fresh pools, after
    /// one uncounted warm-up run), `roundTrips` submit-then-get trips.
    static func run(tasks: Int, roundTrips: Int, workers: Int, repeats: Int) throws -> [(String, Double)] {
        guard FileManager.default.fileExists(atPath: source) else {
            throw Unavailable(description: "\(source) is not there (the benchmark runs from the package's tree)")
        }
        guard let javac = executable(named: "javac"), let java = executable(named: "java") else {
            throw Unavailable(description: "no javac and java on PATH (apt-get install default-jdk-headless)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("futureslab-java-\(getpid())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            _ = try ChildProcess.runJSON(executable: javac, arguments: ["-d", directory, source], label: "javac", timeout: compileSeconds,
                                         expectJSON: false)
        } catch {
            throw Unavailable(description: "javac failed: \(error)")
        }
        do {
            return try ChildProcess.runJSON(
                executable: java, arguments: ["-cp", directory, "JavaBaseline", "\(tasks)", "\(roundTrips)", "\(workers)", "\(repeats)"],
                label: "java JavaBaseline", timeout: runSeconds)
        } catch {
            throw Unavailable(description: "the Java run failed: \(error)")
        }
    }

    /// The first executable file of that name on PATH.
    static func executable(named name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
