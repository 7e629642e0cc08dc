import FuturesCore
import FuturesScenario
import FuturesTraceSchema

/// Shrinks a failing run's schedule: removes preemptions while the failure
/// still occurs, as PCT's and Shuttle's replays do, so that what is left is
/// the few switches the bug needs.
///
/// A candidate is a run guided by the best schedule so far, read as the
/// thread chosen at each step: with one preemption (or all those after a
/// point) left out, the thread that reached the point goes on instead, and
/// where the old choice is not runnable any more the thread that ran goes on
/// (else the oldest runnable one). A candidate is kept when it fails the same
/// way (the same expectations fail, the same deadlock, the same error).
public enum ScheduleMinimiser {
    /// The minimal run found from `seed`'s (at most `budget` candidate runs).
    public static func minimise(_ scenario: Scenario, seed: UInt64, strategy: RuntimeSpec.Strategy,
                                budget: Int = 200) -> ExploreRun {
        var best = guided(scenario, seed: seed, strategy: strategy, plan: nil)
        let failure = best.run.outcome.failureSignature
        var attempts = 0
        func attempt(_ plan: Plan) -> Bool {
            guard attempts < budget else { return false }
            attempts += 1
            let candidate = guided(scenario, seed: seed, strategy: strategy, plan: plan)
            guard candidate.run.outcome.failureSignature == failure,
                  candidate.run.preemptions < best.run.preemptions
                    || (candidate.run.preemptions == best.run.preemptions && candidate.run.steps < best.run.steps) else { return false }
            best = candidate
            return true
        }
        // First the shortest prefix of preemptions that still fails with
        // none after it; then each preemption left, one at a time.
        let points = best.preemptionSteps
        let chosen = best.chosen
        for point in points where attempts < budget / 2 {
            if attempt(Plan(chosen: chosen, dropped: nil, tailFrom: point)) { break }
        }
        var improved = true
        while improved, attempts < budget {
            improved = false
            for point in best.preemptionSteps where attempt(Plan(chosen: best.chosen, dropped: point, tailFrom: nil)) {
                improved = true
                break
            }
        }
        return best.run
    }

    /// Which thread to run at each step: the old choice, but the thread that
    /// reached the point at the step `dropped` and from `tailFrom` on.
    struct Plan {
        var chosen: [Int]
        var dropped: Int?
        var tailFrom: Int?
    }

    struct GuidedRun {
        var run: ExploreRun
        /// The id of the thread chosen at each step.
        var chosen: [Int]
        /// The steps that were preemptions.
        var preemptionSteps: [Int]
    }

    static func guided(_ scenario: Scenario, seed: UInt64, strategy: RuntimeSpec.Strategy, plan: Plan?) -> GuidedRun {
        let log = ChoiceLog(plan: plan)
        let run = Exploration.run(scenario, seed: seed, strategy: strategy) { point in log.choose(point) }
        return GuidedRun(run: run, chosen: log.chosen, preemptionSteps: log.preemptions)
    }
}

/// A guide's memory: it follows a plan (or the strategy) and writes down
/// what was chosen.
private final class ChoiceLog: @unchecked Sendable {
    // @unchecked: `choose` is called by the scheduler under its lock, one
    // point at a time, and the logs are read only after the run has ended.
    let plan: ScheduleMinimiser.Plan?
    var chosen: [Int] = []
    var preemptions: [Int] = []

    init(plan: ScheduleMinimiser.Plan?) {
        self.plan = plan
    }

    func choose(_ point: SchedulingPoint) -> Int {
        let index = pick(point)
        if let previous = point.previous, previous != index { preemptions.append(point.step) }
        chosen.append(point.runnable[index].id)
        return index
    }

    private func pick(_ point: SchedulingPoint) -> Int {
        guard let plan else { return point.strategyPick }
        let goOn = plan.dropped == point.step || plan.tailFrom.map { point.step >= $0 } == true
        if !goOn, point.step < plan.chosen.count,
           let wanted = point.runnable.firstIndex(where: { $0.id == plan.chosen[point.step] }) {
            return wanted
        }
        return point.previous ?? 0
    }
}

extension ExploreOutcome {
    /// How a run failed, regardless of the values it recorded: the
    /// expectations that failed, a deadlock, an error.
    var failureSignature: [String] {
        expectations.filter { !$0.passed }.map(\.text) + (deadlock ? ["deadlock"] : []) + (error.map { [$0] } ?? [])
    }
}
