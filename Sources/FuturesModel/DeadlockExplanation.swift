import FuturesTraceSchema

extension RunModel {
    /// A deadlock in sentences, from what the model knows at the moment it
    /// was found: the cycle as one sentence that follows it round, naming
    /// tasks by their labels and futures and locks by their names and
    /// holders —
    ///
    ///     wait_on_b() (future 1, on ThreadPoolExecutor-0_0) waits for
    ///     wait_on_a() (future 2, on ThreadPoolExecutor-0_1), which waits for
    ///     wait_on_b()
    ///
    ///     philosopher-0 holds c0 and waits for c1, held by philosopher-1,
    ///     which holds c1 and waits for c2, held by philosopher-2, …
    ///
    /// — then one line for each other blocked thread, in the runtime's words.
    func explanation(of deadlock: TraceEvent.Deadlock) -> [String] {
        var nodes = deadlock.cycle
        if nodes.count > 1, nodes.first == nodes.last { nodes.removeLast() }
        var lines: [String] = []
        if !nodes.isEmpty {
            var text = describe(nodes[0], full: true)
            for (position, node) in nodes.enumerated() {
                let next = nodes[(position + 1) % nodes.count]
                let closing = position == nodes.count - 1
                if position > 0 { text += ", which" }
                let holds = objects.held(by: node)
                if !holds.isEmpty { text += " holds " + holds.joined(separator: ", ") + " and" }
                text += " waits for " + target(of: node, next: next, full: !closing, blocked: deadlock.blocked)
            }
            lines.append(text)
        }
        for blocked in deadlock.blocked where !nodes.contains(blocked.thread) {
            lines.append("\(describe(blocked.thread, full: true)) waits for \(blocked.waitsFor)")
        }
        return lines
    }

    /// A thread by what it runs: `label (future n, on thread)` (or the
    /// label alone once said), or its name when it runs no task.
    private func describe(_ thread: String, full: Bool) -> String {
        guard let task = laneModel.task(of: thread) else { return thread }
        return full ? "\(label(of: task)) (future \(task), on \(thread))" : label(of: task)
    }

    /// What `thread` waits for, as the cycle's next link.
    private func target(of thread: String, next: String, full: Bool, blocked: [TraceEvent.BlockedWait]) -> String {
        let wait = laneModel.openWait(of: thread)
        if let future = wait?.waitedFutures.first(where: { laneModel.task(of: next) == $0 }) ?? wait?.waitedFutures.first {
            return laneModel.task(of: next) == future ? describe(next, full: full) : label(of: future)
        }
        if let object = wait?.object {
            return "\(object), held by \(describe(next, full: full))"
        }
        return blocked.first { $0.thread == thread }?.waitsFor ?? wait?.waitsFor ?? next
    }
}
