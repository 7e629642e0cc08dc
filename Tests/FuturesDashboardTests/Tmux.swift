import CFuturesShim
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A private tmux server for end-to-end tests of the dashboard.
///
/// Started with `fl_spawn` (every descriptor above 2 closed, the signal mask
/// and dispositions reset): a tmux server started through
/// `Foundation.Process` keeps the test's pipes open (so the test hangs), and
/// would inherit the test runner's blocked signals (so it never dies).
final class Tmux {
    let socket = "futureslab-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(socket).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit {
        _ = try? run(["kill-server"])
        try? FileManager.default.removeItem(atPath: directory)
        // The server's socket file, under tmux's directory for this user.
        let socketPath = "/tmp/tmux-\(getuid())/\(socket)"
        unlink(socketPath)
    }

    /// Runs `tmux -L socket arguments…`; returns its exit status and stdout.
    @discardableResult
    func run(_ arguments: [String], captureOutput: Bool = false) throws -> (status: Int32, output: String) {
        var pipeEnds: [Int32] = [-1, -1]
        if captureOutput { guard pipe(&pipeEnds) == 0 else { throw POSIXError(.EMFILE) } }
        let argv = ["tmux", "-u", "-L", socket] + arguments
        let environment = ProcessInfo.processInfo.environment.merging(
            ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "NCURSES_NO_UTF8_ACS": "1", "TERM": "xterm-256color"]) { _, new in new }
        let spawned = withCStrings(argv) { cArguments in
            withCStrings(environment.map { "\($0.key)=\($0.value)" }) { cEnvironment in
                var pid: Int32 = 0
                let status = fl_spawn(cArguments, cEnvironment, -1, captureOutput ? pipeEnds[1] : -1, -1, &pid)
                return (status, pid)
            }
        }
        let pid = spawned.1
        var output = Data()
        if captureOutput {
            close(pipeEnds[1])
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(pipeEnds[0], &buffer, buffer.count)
                if count <= 0 { break }
                output.append(contentsOf: buffer[0..<count])
            }
            close(pipeEnds[0])
        }
        guard spawned.0 == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned.0) ?? .EINVAL) }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return ((status >> 8) & 0xff, String(decoding: output, as: UTF8.self))
    }

    /// Starts `command` (run by sh) in a new detached session of that size.
    /// The shell's pid goes to `shellPidFile`; once the command ends, the pane
    /// prints `exit=<status>` and the terminal's `stty -a`, then waits.
    func start(_ command: String, width: Int = 120, height: Int = 40) throws {
        let script = "trap : INT; echo $$ > \(shellPidFile); \(command); echo \"exit=$?\"; stty -a; echo stty-done; exec sleep 600"
        try run(["-f", "/dev/null", "new-session", "-d", "-s", "main", "-x", String(width), "-y", String(height), "sh", "-c", script])
        try run(["set-option", "-g", "window-size", "manual"])
    }

    var shellPidFile: String { directory + "/sh.pid" }

    /// The screen's text now.
    func screen() throws -> String {
        try run(["capture-pane", "-p", "-t", "main"], captureOutput: true).output
    }

    /// Waits until the screen contains `text` (up to `seconds`); the last screen.
    func waitFor(_ text: String, seconds: Double = 20) throws -> String? {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            let screen = try screen()
            if screen.contains(text) { return screen }
            usleep(100_000)
        } while Date() < deadline
        return nil
    }

    func send(_ keys: String...) throws {
        try run(["send-keys", "-t", "main"] + keys)
    }

    func resize(width: Int, height: Int) throws {
        try run(["resize-window", "-t", "main", "-x", String(width), "-y", String(height)])
    }

    /// The pid of the shell's running child (the command under test).
    func commandPid() throws -> pid_t? {
        let shell = try String(contentsOfFile: shellPidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let children = (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
        return children.split(separator: " ").first.flatMap { pid_t($0) }
    }
}

/// Runs `body` with `strings` as a NULL-terminated C array.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    return body(copies.map { UnsafePointer($0) } + [nil])
}
