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
    func refresh(_ dashboard: inout Dashboard) -> Bool {
        let state = run.state
        var manual = dashboard.view.manual ?? ManualView()
        let decisions = run.decisions
        var point: Int?
        var complete = false
        switch state {
        case .running:
            manual.point = nil
            manual.choices = []
            (manual.ending, manual.found) = (nil, false)
        case .waiting(let waiting):
            point = waiting.step
            if manual.point != waiting.step || lastDecisions != decisions { manual.selected = waiting.strategyPick }
            manual.point = waiting.step
            manual.choices = waiting.choices.map { ManualView.Choice(thread: $0.thread, doing: $0.doing) }
            manual.strategyPick = waiting.strategyPick
            (manual.ending, manual.found) = (nil, false)
        case .finished(let result):
            complete = true
            manual.point = nil
            manual.choices = []
            (manual.ending, manual.found) = Self.ending(result.model, exit: result.exitCode, decisions: decisions)
        }
        manual.decisions = decisions
        guard let snapshot = run.snapshot else {
            dashboard.view.manual = manual
            return false
        }
        let changed = snapshot.events.count != lastCount || point != lastPoint || decisions != lastDecisions || complete != dashboard.playback.isComplete
        if changed {
            lastCount = snapshot.events.count
            lastPoint = point
            lastDecisions = decisions
            dashboard.update(events: snapshot.events, header: snapshot.header, complete: complete)
        }
        if let deadlock = dashboard.model.deadlocks.first {
            let after = deadlockedAfter ?? decisions
            deadlockedAfter = after
            manual.discovery = "DEADLOCK at t=" + Self.seconds(deadlock.time) + " — you found it in \(after) step\(after == 1 ? "" : "s")"
                + " (its waits were released; the run goes on)"
            if case .finished = state { manual.ending = "DEADLOCK at t=" + Self.seconds(deadlock.time) + " — you found it in \(after) step\(after == 1 ? "" : "s")" }
        } else {
            deadlockedAfter = nil
            manual.discovery = nil
        }
        dashboard.view.manual = manual
        // Everything up to the point is shown at once: the run waits there.
        dashboard.tick(wallNanoseconds: 0, liveClock: dashboard.playback.endTime)
        return changed
    }

    /// "DEADLOCK at t=0.100s — you found it in 7 steps", or what held.
    static func ending(_ model: RunModel, exit: RunExitCode, decisions: Int) -> (String, Bool) {
        let steps = "\(decisions) step\(decisions == 1 ? "" : "s")"
        if let deadlock = model.deadlocks.first {
            return ("DEADLOCK at t=" + seconds(deadlock.time) + " — you found it in \(steps)", true)
        }
        if let failed = model.expectations.first(where: { !$0.passed }) {
            return ("✗ \(failed.text) — you found it in \(steps)", true)
        }
        if exit != .success { return ("the run failed (exit \(exit.rawValue)) — you found it in \(steps)", true) }
        return ("✓ the run ended and every expectation held (\(steps))", false)
    }

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
