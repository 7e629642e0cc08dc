import FuturesTraceSchema
/// The parker of a deterministic thread: parking and unparking are scheduler
/// operations (see `Scheduler.park` / `Scheduler.unpark`).
final class DeterministicParker: Parker {
    let scheduler: Scheduler
    let thread: SimThread

    init(scheduler: Scheduler, thread: SimThread) {
        self.scheduler = scheduler
        self.thread = thread
    }

    func park(until deadline: RuntimeInstant?, reason: WaitReason) -> ParkResult {
        scheduler.park(thread, deadline: deadline?.nanoseconds, reason: reason)
    }

    func unpark() {
        scheduler.unpark(thread)
    }
}
