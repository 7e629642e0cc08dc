import Foundation
import FuturesTraceSchema
#if canImport(Glibc)
import Glibc
#endif

/// A trace file written as the run goes: the header as soon as the runtime
/// has attached, then every 100 ms the events recorded since (each flushed to
/// the kernel with `write(2)`, so a killed process loses at most the last
/// tenth of a second), and at the end the rest — or, when a signal stops the
/// run, the rest and an `aborted` line. `futureslab attach` follows such a
/// file, reading only what was appended.
public final class IncrementalTraceFile: @unchecked Sendable {
    // @unchecked: `cursor`, `headerWritten`, `closed` and
    // `flusher` are only touched under `lock` (`start` sets `flusher` before
    // any other call can race it); the rest is set in init.
    public let path: String
    private let recorder: TraceRecorder
    private let descriptor: Int32
    private let lock = NSLock()
    private var cursor = TraceCursor()
    private var headerWritten = false
    private var closed = false
    private let stopped = DispatchSemaphore(value: 0)
    private var flusher: Thread?

    /// How often the events so far are written, in milliseconds.
    public static let intervalMilliseconds = 100
    /// Events younger than this wait for the next write (`TraceRecorder.drain`).
    static let holdback: UInt64 = 20_000_000

    /// Creates (or truncates) the file; nothing is written until the runtime attaches.
    public init(path: String, recorder: TraceRecorder) throws {
        self.path = path
        self.recorder = recorder
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw TraceFileError(path: path, message: String(cString: strerror(errno))) }
    }

    deinit {
        if !closed { close(descriptor) }
    }

    /// Starts writing every `interval`.
    public func start() {
        let thread = Thread { [self] in
            while stopped.wait(timeout: .now() + .milliseconds(Self.intervalMilliseconds)) == .timedOut {
                flush(holdback: Self.holdback)
            }
        }
        thread.name = "trace writer"
        lock.withLock { flusher = thread }
        thread.start()
    }

    /// Writes what is ready now (the header first).
    public func flush(holdback: UInt64 = 0) {
        lock.lock()
        defer { lock.unlock() }
        guard !closed, recorder.isAttached else { return }
        var text = ""
        if !headerWritten {
            text += TraceWriter.line(recorder.trace.header) + "\n"
            headerWritten = true
        }
        for event in recorder.drain(&cursor, holdback: holdback) {
            text += TraceWriter.line(event) + "\n"
        }
        write(text)
    }

    /// The run ended: writes every event the recorder has not given yet,
    /// then `closing` (the lines the runner adds after the run: `ended`, a
    /// deterministic run's `schedule`), numbered and timed after them, and
    /// closes the file. (What was written stays as written: the file is read
    /// as it grows, so it is only ever appended to.)
    public func finish(header: TraceHeader, closing: [TraceEvent]) {
        lock.lock()
        defer { lock.unlock() }
        stopFlusherLocked()
        guard !closed else { return }
        var text = headerWritten ? "" : TraceWriter.line(header) + "\n"
        headerWritten = true
        var events = recorder.drain(&cursor, holdback: 0)
        var seq = events.last?.seq ?? cursor.seq
        let time = events.last?.nanoseconds ?? cursor.lastTime
        for var event in closing {
            seq += 1
            event.seq = seq
            event.nanoseconds = max(event.nanoseconds, time)
            events.append(event)
        }
        for event in events { text += TraceWriter.line(event) + "\n" }
        write(text)
        closeLocked()
    }

    /// A signal stopped the run: every event recorded so far, then an
    /// `aborted` line naming the signal, and the file closed. Safe to call
    /// while the run's threads still record (what they record after is lost).
    public func abort(signal: String) {
        lock.lock()
        defer { lock.unlock() }
        stopFlusherLocked()
        guard !closed else { return }
        var text = headerWritten ? "" : TraceWriter.line(recorder.trace.header) + "\n"
        headerWritten = true
        var last = cursor.seq
        var time: UInt64 = 0
        for event in recorder.drain(&cursor, holdback: 0) {
            text += TraceWriter.line(event) + "\n"
            last = event.seq
            time = event.nanoseconds
        }
        if time == 0 { time = cursor.lastTime }
        text += TraceWriter.line(TraceEvent(seq: last + 1, nanoseconds: time, .aborted(signal: signal))) + "\n"
        write(text)
        closeLocked()
    }

    private func stopFlusherLocked() {
        guard flusher != nil else { return }
        flusher = nil
        stopped.signal()
    }

    private func closeLocked() {
        fsync(descriptor)
        close(descriptor)
        closed = true
    }

    /// All of `text`, retrying short writes; an error is left for the reader
    /// to see as a trace cut short (the run itself goes on).
    private func write(_ text: String) {
        guard !text.isEmpty else { return }
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let count = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if count < 0, errno == EINTR { continue }
                if count <= 0 { return }
                offset += count
            }
        }
    }
}
