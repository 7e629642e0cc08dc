/// The fields of each kind of event line, beyond `seq`, `t` and `kind`: what
/// docs/trace-format.md documents (a test checks that it names every one)
/// and what the writer emits.
extension TraceEvent.Kind {
    public struct LineField: Sendable, Equatable {
        public var key: String
        public var required: Bool
    }

    public var fields: [LineField] {
        func required(_ keys: String...) -> [LineField] { keys.map { LineField(key: $0, required: true) } }
        func optional(_ keys: String...) -> [LineField] { keys.map { LineField(key: $0, required: false) } }
        let wait = required("thread", "waits_for", "reason") + optional("future", "futures", "executor", "label")
        return switch self {
        case .submitted: required("future", "executor") + optional("label", "thread")
        case .started: required("future", "worker") + optional("thread")
        case .returned: required("future", "result") + optional("type", "thread")
        case .raised: required("future", "exception") + optional("type", "thread")
        case .cancelled, .cancelNotified: required("future") + optional("thread")
        case .workerStarted, .workerExited: required("worker", "executor") + optional("thread")
        case .shutdown: required("executor", "wait", "cancel_futures") + optional("thread")
        case .broken: required("executor", "reason") + optional("thread")
        case .waitBegan: wait
        case .waitEnded: wait + required("timed_out")
        case .deadlock: required("message", "reason", "cycle", "blocked") + optional("thread")
        case .log: required("level", "message") + optional("thread")
        case .note: required("message") + optional("thread")
        case .measurement: required("name", "value") + optional("thread")
        case .expectation: required("message", "passed") + optional("thread")
        case .gilTaken, .gilDropped: required("thread", "executor")
        case .lockAcquired, .lockReleased: required("thread", "label")
        case .executor: required("executor", "name", "executor_kind", "max_workers", "gil") + optional("thread")
        case .object: required("label", "object_kind", "action") + optional("value", "limit", "thread")
        case .question: required("message", "result") + optional("choices", "explain", "at_start", "thread")
        case .schedule: required("picks", "runnable") + optional("thread")
        case .ended: optional("thread")
        case .aborted: required("reason") + optional("thread")
        }
    }
}
