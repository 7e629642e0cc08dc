import Foundation
import FuturesDashboard
import FuturesModel
import FuturesRunner
import FuturesScenario

/// The dashboard's side of `run --scheduler manual`: shows the run as far
/// as it got (every event up to the point it waits at) and the choice it
/// waits for, and passes the user's answers on to the `ManualRun`.
final class ManualSession {
    let run: ManualRun
    private var lastCount = -1
    private var lastPoint: Int?
    private var lastDecisions = -1
    /// Decisions made when the current attempt first deadlocked.
    private var deadlockedAfter: Int?

    init(_ scenario: Scenario, options: RunOptions) {
        run = ManualRun(scenario, options: options)
    }

    /// Brings the dashboard up to the run; returns whether anything changed.
    /// While the run waits at the point already shown, nothing is read: the
    /// trace is merged again only when the run has moved.
    func refresh(_ dashboard: inout Dashboard) -> Bool {
        let state = run.state
        let decisions = run.decisions
        var point: Int?
        var running = false
        switch state {
        case .waiting(let waiting): point = waiting.step
        case .running: running = true
        case .finished: break
        }
        let finished = !running && point == nil
        guard running || point != lastPoint || decisions != lastDecisions || finished != dashboard.playback.isComplete else { return false }
        lastPoint = point
        lastDecisions = decisions
        var changed = false
        if let snapshot = run.snapshot, snapshot.events.count != lastCount || finished != dashboard.playback.isComplete {
            lastCount = snapshot.events.count
            dashboard.update(events: snapshot.events, header: snapshot.header, complete: finished)
            changed = true
        }
        // A deadlock is counted from the decisions made when it first showed.
        let deadlock = dashboard.model.deadlocks.first
        deadlockedAfter = deadlock == nil ? nil : deadlockedAfter ?? decisions
        var manual = dashboard.view.manual ?? ManualView()
        manual.decisions = decisions
        manual.point = point
        manual.choices = []
        (manual.ending, manual.found) = (nil, false)
        switch state {
        case .running: break
        case .waiting(let waiting):
            manual.selected = waiting.strategyPick
            manual.choices = waiting.choices.map { ManualView.Choice(thread: $0.thread, doing: $0.doing) }
            manual.strategyPick = waiting.strategyPick
        case .finished(let result):
            (manual.ending, manual.found) = Self.ending(result.model, exit: result.exitCode, decisions: deadlockedAfter ?? decisions)
        }
        manual.discovery = deadlock.map { Self.found($0, after: deadlockedAfter ?? decisions) + " (its waits were released; the run goes on)" }
        dashboard.view.manual = manual
        // Everything up to the point is shown at once: the run waits there.
        dashboard.tick(wallNanoseconds: 0, liveClock: dashboard.playback.endTime)
        return changed
    }

    /// "DEADLOCK at t=0.100s — you found it in 7 steps", or what held.
    static func ending(_ model: RunModel, exit: RunExitCode, decisions: Int) -> (String, Bool) {
        if let deadlock = model.deadlocks.first { return (found(deadlock, after: decisions), true) }
        let steps = Self.steps(decisions)
        if let failed = model.expectations.first(where: { !$0.passed }) {
            return ("✗ \(failed.text) — you found it in \(steps)", true)
        }
        if exit != .success { return ("the run failed (exit \(exit.rawValue)) — you found it in \(steps)", true) }
        return ("✓ the run ended and every expectation held (\(steps))", false)
    }

    static func found(_ deadlock: RunModel.Deadlock, after decisions: Int) -> String {
        "DEADLOCK at t=" + seconds(deadlock.time) + " — you found it in " + steps(decisions)
    }

    static func steps(_ count: Int) -> String { "\(count) step\(count == 1 ? "" : "s")" }

    /// Until the run reaches its next point, no choice is offered (a key
    /// pressed meanwhile is told to wait instead of deciding a stale point).
    private func clearChoices(_ dashboard: inout Dashboard) {
        dashboard.view.manual?.point = nil
        dashboard.view.manual?.choices = []
        lastPoint = nil
    }

    static func seconds(_ nanoseconds: UInt64) -> String {
        String(format: "%.3fs", Double(nanoseconds) / 1e9)
    }

    func handle(_ command: ManualCommand, _ dashboard: inout Dashboard) {
        switch command {
        case .pick(let index):
            guard let point = dashboard.view.manual?.point else { return }
            run.pick(index, at: point)
            clearChoices(&dashboard)
        case .auto:
            guard let point = dashboard.view.manual?.point else { return }
            run.auto(at: point)
            clearChoices(&dashboard)
            dashboard.view.message = "the seed chooses until a thread reaches a lock, a queue or a future"
        case .undo:
            if run.undo() {
                clearChoices(&dashboard)
                dashboard.view.manual?.discovery = nil
                dashboard.view.manual?.ending = nil
                dashboard.view.message = "back one choice"
            } else {
                dashboard.view.message = "nothing to undo"
            }
        case .write:
            let schedule = run.schedule
            let file = ScheduleFile(program: run.program, seed: run.seed, strategy: run.strategy.rawValue,
                                    picks: schedule.picks, runnable: schedule.runnable, prefix: !schedule.complete)
            let path = Self.freePath(for: run.program)
            do {
                try write(file.json, to: path)
                dashboard.view.message = "wrote \(path) (\(schedule.picks.count) choices\(schedule.complete ? "" : ", then the seed's")) — run --schedule replays it"
            } catch {
                dashboard.view.message = "\(error)"
            }
        }
    }

    /// `race_hunt-schedule.json`, or `-2`, `-3`… when that exists.
    static func freePath(for program: String) -> String {
        var path = "\(program)-schedule.json"
        var number = 2
        while FileManager.default.fileExists(atPath: path) {
            path = "\(program)-schedule-\(number).json"
            number += 1
        }
        return path
    }
}
