import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Running a scenario as a Unix daemon (Python Cookbook 12.14): double fork,
/// a new session, stdin from /dev/null, stdout and stderr to a log, umask
/// 022, the working directory `/`, and a pidfile written atomically and
/// removed at exit (docs/detached.md).
enum Detached {
    /// A path made absolute against the working directory (the daemon works in `/`).
    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    /// The pid a pidfile names, if the file holds one.
    static func pid(inPidfile path: String) -> pid_t? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Whether a process with this pid exists (and is not a zombie we could reap).
    static func isAlive(_ pid: pid_t) -> Bool {
        guard pid > 0 else { return false }
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        // A zombie has ended; only its parent (init, for a daemon) has not
        // reaped it yet: `Z` in /proc/PID/stat, after the command's ")".
        if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
           let close = stat.lastIndex(of: ")") {
            let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
            if state == "Z" || state == "X" { return false }
        }
        return true
    }

    /// Why a detached run cannot start with these paths, if it cannot: the
    /// checks made before anything is started.
    static func refusal(trace: String?, pidfile: String?, log: String?) -> String? {
        guard trace != nil else {
            return "--detach needs --trace: the trace is a detached run's output (attach to it with `futureslab attach TRACE`)"
        }
        for (flag, path) in [("--trace", trace), ("--pidfile", pidfile), ("--log", log)] {
            guard let path else { continue }
            let directory = (absolute(path) as NSString).deletingLastPathComponent
            var isDirectory: ObjCBool = false
            if !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) || !isDirectory.boolValue {
                return "\(flag) \(path): the directory \(directory) does not exist"
            }
        }
        if let pidfile, let pid = pid(inPidfile: pidfile), isAlive(pid) {
            return "--pidfile \(pidfile) names process \(pid), which is running: stop it first (futureslab stop \(pidfile))"
        }
        return nil
    }

    /// Forks twice; in the original process, waits for the daemon to say its
    /// pid, prints it and exits 0. Returns only in the daemon, with its
    /// standard streams redirected, its pidfile written, and `/` as its
    /// working directory. Call it before any thread is started.
    static func daemonize(pidfile: String?, log: String?) {
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { fail("pipe: \(String(cString: strerror(errno)))") }
        let first = fork()
        if first < 0 { fail("fork: \(String(cString: strerror(errno)))") }
        if first > 0 {
            // The original process: the daemon's pid comes through the pipe.
            close(pipeEnds[1])
            var status: Int32 = 0
            waitpid(first, &status, 0)
            var buffer = [UInt8](repeating: 0, count: 32)
            let count = buffer.withUnsafeMutableBytes { read(pipeEnds[0], $0.baseAddress, $0.count) }
            guard count > 0, let text = String(bytes: buffer[..<count], encoding: .utf8) else {
                fail("the detached run did not start (see its log)")
            }
            print(text.trimmingCharacters(in: .whitespacesAndNewlines))
            exit(0)
        }
        // The first child: a session of its own, then the daemon is its child,
        // which is no session leader and so can never take a terminal.
        close(pipeEnds[0])
        setsid()
        signal(SIGHUP, SIG_IGN)
        let second = fork()
        if second < 0 { _exit(1) }
        if second > 0 { _exit(0) }
        signal(SIGHUP, SIG_DFL)
        umask(0o022)
        chdir("/")
        // Pipes inherited from whoever started us (a test's, a shell's) would
        // keep its reads waiting until the daemon ends: close them all but ours.
        closeInheritedPipes(keeping: pipeEnds[1])
        let null = open("/dev/null", O_RDWR)
        dup2(null, STDIN_FILENO)
        let output = log.map { open($0, O_WRONLY | O_CREAT | O_APPEND, 0o644) } ?? null
        dup2(output >= 0 ? output : null, STDOUT_FILENO)
        dup2(output >= 0 ? output : null, STDERR_FILENO)
        let pid = getpid()
        if let pidfile { writePidfile(pidfile, pid: pid) }
        let text = "\(pid)\n"
        _ = text.withCString { write(pipeEnds[1], $0, strlen($0)) }
        close(pipeEnds[1])
    }

    /// Closes every descriptor above stderr that is a pipe or a socket, but `kept`.
    private static func closeInheritedPipes(keeping kept: Int32) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
        for name in names {
            guard let fd = Int32(name), fd > 2, fd != kept,
                  let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(name)"),
                  target.hasPrefix("pipe:") || target.hasPrefix("socket:") else { continue }
            close(fd)
        }
    }

    /// Writes the pidfile atomically: a temporary file beside it, renamed.
    private static func writePidfile(_ path: String, pid: pid_t) {
        let temporary = path + ".\(pid).tmp"
        do {
            try "\(pid)\n".write(toFile: temporary, atomically: false, encoding: .utf8)
            guard rename(temporary, path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            FileHandle.standardError.write(Data("futureslab: cannot write the pidfile \(path): \(error)\n".utf8))
            _exit(2)
        }
    }

    /// Removes the pidfile if it still names this process.
    static func removePidfile(_ path: String?) {
        guard let path, pid(inPidfile: path) == getpid() else { return }
        unlink(path)
    }

    private static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("futureslab: \(message)\n".utf8))
        exit(2)
    }
}
