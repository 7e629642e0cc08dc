import Foundation
import FuturesCore
import FuturesTrace
#if canImport(Glibc)
import Glibc
#endif

/// The worker side of a process pool: the same binary, started with
/// `ProcessWorker.argument` as its first argument. Programs that use process
/// pools call `ProcessWorker.runIfWorker()` first thing in `main` (after
/// registering their tasks); it never returns in a worker.
public enum ProcessWorker {
    /// The first command-line argument that makes a process a worker.
    public static let argument = "__futureslab-process-worker"

    /// In a worker process: serves calls until told to stop, then exits.
    /// Elsewhere: returns at once.
    public static func runIfWorker() {
        guard CommandLine.arguments.count > 1, CommandLine.arguments[1] == argument else { return }
        Glibc.exit(serve())
    }

    /// The call in progress, for the exit handler (a task that calls exit()).
    nonisolated(unsafe) private static var currentCall: UInt64 = 0
    nonisolated(unsafe) private static var replyDescriptor: Int32 = -1
    // nonisolated(unsafe): both are touched by the worker's only thread, and
    // read by the exit handler that runs on it.

    /// The loop: read frames from stdin, answer on the original stdout (fd 1
    /// is pointed at stderr, so what tasks print cannot corrupt the replies).
    static func serve() -> Int32 {
        let replies = dup(1)
        dup2(2, 1)
        replyDescriptor = replies
        atexit {
            guard ProcessWorker.currentCall != 0 else { return }
            var frame = FrameBuilder()
            frame.append(.exiting, call: ProcessWorker.currentCall)
            writeAll(ProcessWorker.replyDescriptor, frame.bytes)
        }
        let reader = FrameReader(descriptor: 0)
        var out = FrameBuilder()
        while true {
            let frame: (kind: Frame.Kind, call: UInt64, payload: ArraySlice<UInt8>)?
            do { frame = try reader.next() } catch { return 3 }
            guard let frame else { break }
            switch frame.kind {
            case .shutdown:
                writeAll(replies, out.bytes)
                return 0
            case .call, .initialize, .chunk:
                if !handle(frame, into: &out) {
                    writeAll(replies, out.bytes)
                    return 1
                }
            default:
                return 3
            }
            // Answer in batches: only when no further call is already waiting.
            if !reader.hasBufferedFrame || out.bytes.count > 1 << 16 {
                if !writeAll(replies, out.bytes) { return 0 }
                out.removeAll()
            }
        }
        writeAll(replies, out.bytes)
        return 0
    }

    /// Runs one call frame; false when the worker must break (arguments it
    /// could not decode, a failed initializer), after saying why.
    private static func handle(_ frame: (kind: Frame.Kind, call: UInt64, payload: ArraySlice<UInt8>), into out: inout FrameBuilder) -> Bool {
        var payload = PayloadReader(frame.payload)
        do {
            let flags = try payload.integer(UInt8.self)
            let name = try payload.string(count: Int(try payload.integer(UInt16.self)))
            guard let entry = ProcessTasks.entry(named: name) else {
                out.append(.broken, call: frame.call) { $0.append(contentsOf: Array("no process task named '\(name)' in the worker".utf8)) }
                return false
            }
            var argumentData: [Data] = []
            if frame.kind == .chunk {
                let count = Int(try payload.integer(UInt32.self))
                for _ in 0..<count { argumentData.append(try payload.data(count: Int(try payload.integer(UInt32.self)))) }
            } else {
                argumentData = [payload.rest()]
            }
            var arguments: [any Sendable] = []
            for data in argumentData {
                do {
                    arguments.append(try entry.decode(data))
                } catch {
                    out.append(.broken, call: frame.call) { $0.append(contentsOf: Array("cannot decode the arguments of \(name): \(WireCodec.describe(error))".utf8)) }
                    return false
                }
            }
            if flags & 1 != 0 {
                out.append(.started, call: frame.call)
            }
            currentCall = frame.call
            defer { currentCall = 0 }
            do {
                let results = try arguments.map { try entry.run($0) }
                if frame.kind == .initialize {
                    out.append(.result, call: frame.call)
                } else if frame.kind == .chunk {
                    out.append(.result, call: frame.call) { bytes in
                        bytes.appendInteger(UInt32(results.count))
                        for result in results {
                            bytes.appendInteger(UInt32(result.count))
                            bytes.appendData(result)
                        }
                    }
                } else {
                    out.append(.result, call: frame.call) { $0.appendData(results[0]) }
                }
            } catch {
                if frame.kind == .initialize {
                    out.append(.broken, call: frame.call) { $0.append(contentsOf: Array("the initializer \(name) failed: \(error)".utf8)) }
                    return false
                }
                let info = RemoteErrorInfo(
                    type: ErrorNames.typeName(of: error), message: ErrorNames.message(of: error),
                    traceback: "Traceback (in worker process \(getpid())): \(name) raised \(ErrorNames.typeName(of: error))")
                let data = (try? JSONEncoder().encode(info)) ?? Data()
                out.append(.error, call: frame.call) { $0.appendData(data) }
            }
        } catch {
            out.append(.broken, call: frame.call) { $0.append(contentsOf: Array("a malformed call: \(error)".utf8)) }
            return false
        }
        return true
    }
}

/// Python-style names and messages of Swift errors.
enum ErrorNames {
    static func typeName(of error: any Error) -> String {
        if let named = error as? any TraceTypeNamed { return named.traceTypeName }
        return String(describing: type(of: error))
    }

    /// The message without a leading "Type: " (Swift descriptions of the
    /// core's errors carry it; Python's str(e) does not).
    static func message(of error: any Error) -> String {
        let text = String(describing: error)
        let prefix = typeName(of: error) + ": "
        return text.hasPrefix(prefix) ? String(text.dropFirst(prefix.count)) : text
    }

    /// The error as the parent raises it: the core's own types come back as
    /// themselves; others as `RemoteError` with their type's name.
    static func rebuild(_ info: RemoteErrorInfo) -> any Error {
        switch info.type {
        case "ValueError": return ValueError(info.message)
        case "RuntimeError": return RuntimeError(info.message)
        case "TimeoutError": return TimeoutError(info.message)
        case "PicklingError": return PicklingError(info.message)
        default: return RemoteError(type: info.type, message: info.message, traceback: info.traceback)
        }
    }
}

// MARK: - Ending a worker

extension ProcessWorker {
    /// The simulated process the calling thread is, if any. Keyed by the
    /// thread's context (each simulated worker is a thread of the run with a
    /// context of its own): not a task-local, whose storage one OS thread's
    /// fibers would share.
    private static let simulatedLock = NSLock()
    nonisolated(unsafe) private static var simulatedWorkers: [ObjectIdentifier: Int32] = [:]
    // nonisolated(unsafe): only touched under `simulatedLock`.

    static var simulatedPid: Int32? {
        let key = ObjectIdentifier(ThreadContext.current)
        return simulatedLock.withLock { simulatedWorkers[key] }
    }

    /// Marks the calling thread as simulated process `pid` while `body` runs.
    static func simulating<R>(pid: Int32, _ body: () throws -> R) throws -> R {
        let key = ObjectIdentifier(ThreadContext.current)
        simulatedLock.withLock { simulatedWorkers[key] = pid }
        defer { simulatedLock.withLock { simulatedWorkers[key] = nil } }
        return try body()
    }

    /// The worker process's id (its simulated id in the deterministic runtime).
    public static var pid: Int32 { simulatedPid ?? getpid() }

    /// `sys.exit(code)` in a task: ends the worker process. The call fails
    /// with `SystemExit(code)`; the pool replaces the worker.
    public static func exit(code: Int32) throws -> Never {
        if simulatedPid != nil { throw SimulatedDeath(exitCode: code) }
        Glibc.exit(code)
    }

    /// Ends the worker process at once with `code` (`_exit`: no clean-up, no
    /// word to the pool), which breaks the pool.
    public static func hardExit(code: Int32) throws -> Never {
        if simulatedPid != nil { throw SimulatedDeath(cause: describeEnd(exitCode: code, signal: nil)) }
        _exit(code)
    }

    /// Ends the worker process abruptly with `signal` (a segfault, SIGKILL):
    /// the pool breaks.
    public static func crash(signal: Int32) throws -> Never {
        if simulatedPid != nil { throw SimulatedDeath(cause: describeEnd(exitCode: nil, signal: signal)) }
        Glibc.signal(signal, SIG_DFL)
        raise(signal)
        Glibc.exit(128 + signal)
    }
}
