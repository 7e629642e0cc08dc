/// The trace schema (`CoreEvent`, `WaitReason`, `DeadlockReport`, `TraceSink`)
/// is part of the core's API: whoever uses the core can name what it reports.
@_exported import FuturesTrace
