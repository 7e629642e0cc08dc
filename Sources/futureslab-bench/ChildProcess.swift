import Foundation

/// Runs a program and reads the one JSON object of numbers it prints.
enum ChildProcess {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// This program's own executable (for running a workload in a child).
    static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Runs `executable` with `arguments`; `label` names the run in errors.
    /// A run still going after `timeout` seconds is killed and fails. With
    /// `expectJSON: false` only the exit status counts (nothing is returned).
    static func runJSON(executable: String, arguments: [String], label: String, timeout: Double? = nil,
                        expectJSON: Bool = true) throws -> [(String, Double)] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        do {
            try process.run()
        } catch {
            throw Failure(description: "could not start \(label): \(error)")
        }
        let killer = timeout.map { seconds in
            let item = DispatchWorkItem { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: item)
            return item
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        killer?.cancel()
        if process.terminationReason == .uncaughtSignal, process.terminationStatus == SIGKILL, let timeout {
            throw Failure(description: "\(label) took longer than \(Int(timeout)) s and was stopped")
        }
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(label) exited with status \(process.terminationStatus)")
        }
        guard expectJSON else { return [] }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw Failure(description: "\(label) printed no JSON object")
        }
        return object.compactMap { key, value in
            (value as? NSNumber).map { (key, $0.doubleValue) }
        }.sorted { $0.0 < $1.0 }
    }
}

/// Writes one line to standard error.
func printToStandardError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
