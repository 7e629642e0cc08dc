import Foundation
import FuturesRunner
#if canImport(Glibc)
import Glibc
#endif

/// `explore`'s worker processes: this same binary with `--worker first:stride:count`,
/// each taking every `jobs`-th seed. Workers report their runs in batches (a
/// line a run and a write a run would wake this process thousands of times a
/// second, on the cores the workers need). A worker that dies loses only its
/// last batch: a new one runs those seeds again writing each run at once
/// (`:exact`), so the seed that kills it is known; it is reported, and a new
/// worker goes on from the seed after it.
final class ExploreWorkers: @unchecked Sendable {
    // @unchecked: everything mutable (`found`, `done`) is guarded by `lock`;
    // the rest is set in init and only read.
    struct Run {
        var seed: UInt64
        /// Index into `Found.outcomes`.
        var outcome: Int
        var hash: UInt64
        var steps: Int
        var preemptions: Int
    }

    struct Found {
        var outcomes: [ExploreOutcome] = []
        var runs: [Run] = []
        var crashes: [ExploreSummary.Crash] = []
        var elapsed: Double = 0
    }

    private let arguments: [String]
    private let seeds: [UInt64]
    private let jobs: Int
    private let progress: Bool
    private let lock = NSLock()
    private var found = Found()

    init(arguments: [String], seeds: [UInt64], jobs: Int, progress: Bool) {
        self.arguments = arguments
        self.seeds = seeds
        self.jobs = jobs
        self.progress = progress
    }

    /// Runs every seed; returns when all are done (or crashed).
    func run() -> Found {
        let started = Date()
        let group = DispatchGroup()
        for job in 0..<jobs {
            let share = Array(stride(from: job, to: seeds.count, by: jobs).map { seeds[$0] })
            guard !share.isEmpty else { continue }
            let thread = Thread { [self] in
                work(on: share)
                group.leave()
            }
            group.enter()
            thread.start()
        }
        var drew = false
        while group.wait(timeout: .now() + .milliseconds(progress ? 200 : 60_000)) == .timedOut {
            guard progress else { continue }
            let (done, classes) = lock.withLock { (found.runs.count + found.crashes.count, found.outcomes.count) }
            writeStandardError("\r" + Self.bar(done: done, of: seeds.count, classes: classes, elapsed: Date().timeIntervalSince(started)))
            drew = true
        }
        if drew { writeStandardError("\r\u{1B}[K") }
        return lock.withLock {
            found.elapsed = Date().timeIntervalSince(started)
            return found
        }
    }

    /// `[████████░░░░░░░░]  1,200/2,000 runs · 3 classes · 4,812 runs/s`
    static func bar(done: Int, of total: Int, classes: Int, elapsed: Double) -> String {
        Progress.gauge(done, of: total)
            + "\(done)/\(total) runs · \(classes) class\(classes == 1 ? "" : "es") · "
            + String(format: "%.0f runs/s", elapsed > 0 ? Double(done) / elapsed : 0) + "\u{1B}[K"
    }

    /// One job's seeds (they form an arithmetic sequence): a worker process
    /// for them, and another after each crash.
    private func work(on share: [UInt64]) {
        var rest = share[...]
        var exact = false
        while let first = rest.first {
            let stride = rest.count > 1 ? rest[rest.startIndex + 1] - first : 1
            let reported = runProcess(first: first, stride: stride, count: rest.count, exact: exact)
            rest = rest.dropFirst(reported.runs)
            if reported.crash != nil, !exact, reported.started {
                // Which seed of the lost batch? Run them again, a line each.
                exact = true
            } else if let crash = reported.crash, let seed = rest.first {
                lock.withLock { found.crashes.append(.init(seed: seed, reason: crash)) }
                rest = rest.dropFirst()
                exact = false
            } else if reported.crash != nil || !reported.ended {
                return
            }
        }
    }

    /// Runs one worker process; returns how many runs it reported and, if it
    /// did not end well, why.
    private func runProcess(first: UInt64, stride: UInt64, count: Int, exact: Bool)
        -> (runs: Int, started: Bool, ended: Bool, crash: String?) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = arguments + ["--worker", "\(first):\(stride):\(count)" + (exact ? ":exact" : "")]
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return (0, false, false, "the worker process could not start: \(error)")
        }
        var classMap: [Int: Int] = [:]
        var runs = 0
        var ended = false
        var pending = Data()
        let handle = output.fileHandleForReading
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            pending.append(chunk)
            var lines: [Substring] = []
            if let last = pending.lastIndex(of: UInt8(ascii: "\n")) {
                lines = String(decoding: pending[...last], as: UTF8.self).split(separator: "\n")
                pending = Data(pending[(last + 1)...])
            }
            lock.withLock {
                for line in lines {
                    let fields = line.split(separator: "\t", maxSplits: 5, omittingEmptySubsequences: false)
                    switch fields.first {
                    case "C":
                        guard fields.count == 2, let outcome = try? JSONDecoder().decode(ExploreOutcome.self, from: Data(fields[1].utf8)) else { continue }
                        let index = found.outcomes.firstIndex(of: outcome) ?? found.outcomes.count
                        if index == found.outcomes.count { found.outcomes.append(outcome) }
                        classMap[classMap.count] = index
                    case "R":
                        guard fields.count == 6, let seed = UInt64(fields[1]), let local = Int(fields[2]), let outcome = classMap[local],
                              let hash = UInt64(fields[3]), let steps = Int(fields[4]), let preemptions = Int(fields[5]) else { continue }
                        found.runs.append(Run(seed: seed, outcome: outcome, hash: hash, steps: steps, preemptions: preemptions))
                        runs += 1
                    case "E":
                        ended = true
                    default:
                        continue
                    }
                }
            }
        }
        process.waitUntilExit()
        if ended, process.terminationStatus == 0 { return (runs, true, true, nil) }
        let reason = process.terminationReason == .uncaughtSignal
            ? "the worker process was killed by signal \(process.terminationStatus) (\(String(cString: strsignal(process.terminationStatus))))"
            : "the worker process exited with status \(process.terminationStatus)"
        return (runs, true, false, reason)
    }

    /// This program's own file (workers are this binary).
    static let executable: String = {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }()
}
