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
    static func runJSON(executable: String, arguments: [String], label: String) throws -> [(String, Double)] {
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
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(label) exited with status \(process.terminationStatus)")
        }
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
