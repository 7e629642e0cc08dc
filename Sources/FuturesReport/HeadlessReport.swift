import FuturesModel
import FuturesTraceSchema

/// The headless report of a run: the log with timestamps (as the seed's
/// `display()` prints it), the timeline, the futures, the deadlock if any, the
/// measurements and the expectations. Built from the model alone, so a replay
/// prints the same report as the live run.
public enum HeadlessReport {
    public static func render(_ model: RunModel, style: ReportStyle) -> String {
        var lines: [String] = []
        let header = model.header
        let title = header?.title ?? header?.program ?? "run"
        lines.append(style.paint("\(header?.program ?? "run") — \(title)", .bold))
        lines.append(runtimeLine(header))
        lines.append("")
        lines.append(style.paint("Log", .bold))
        if model.log.isEmpty { lines.append("  (nothing logged)") }
        for line in model.log {
            let stamp = "[+\(seconds(line.time))s]"
            switch line.level {
            case "note": lines.append(style.paint("\(stamp) ▸ \(line.message)", .magenta))
            case "error", "critical": lines.append(style.paint("\(stamp) \(line.level.uppercased()): \(line.message)", .red))
            default: lines.append("\(stamp) \(line.message)")
            }
        }
        lines.append("")
        lines.append(style.paint("Timeline", .bold) + " (0 – \(seconds(model.endTime)) s, \(header?.clock.rawValue ?? "wall") clock)")
        lines.append(contentsOf: Timeline.render(model, style: style))
        lines.append("")
        lines.append(style.paint("Futures", .bold))
        lines.append(contentsOf: futuresTable(model, style: style))
        for deadlock in model.deadlocks {
            lines.append("")
            lines.append(style.paint("DEADLOCK", .red) + " at t=\(seconds(deadlock.time))s (\(deadlock.kind.rawValue))")
            if !deadlock.cycle.isEmpty, let sentence = deadlock.explanation.first { lines.append("  " + sentence) }
            if !deadlock.cycle.isEmpty { lines.append("  cycle: " + deadlock.cycle.joined(separator: " → ")) }
            for blocked in deadlock.blocked { lines.append("  \(blocked.thread) waits for \(blocked.waitsFor)") }
            lines.append("  " + releaseSentence(deadlock))
        }
        if !model.objects.objects.isEmpty {
            lines.append("")
            lines.append(style.paint("Objects", .bold) + " (as the run left them)")
            lines.append(contentsOf: objectsTable(model))
        }
        if !model.questions.isEmpty {
            lines.append("")
            lines.append(style.paint("Questions", .bold))
            for (time, question) in model.questions {
                lines.append("[+\(seconds(time))s] \(question.text)")
                for (index, choice) in question.choices.enumerated() {
                    let right = question.rightChoice == index + 1
                    lines.append("  \(index + 1). \(choice)" + (right ? style.paint("  ← the run's answer", .green) : ""))
                }
                if question.rightChoice == nil { lines.append("  answer: " + style.paint(question.answer, .green)) }
                if let explain = question.explain { lines.append("  " + explain) }
            }
        }
        if !model.measurements.isEmpty {
            lines.append("")
            lines.append(style.paint("Measurements", .bold))
            let width = model.measurements.map(\.name.count).max() ?? 0
            for (name, value) in model.measurements { lines.append("  \(pad(name, width)) = \(format(value))") }
        }
        if !model.expectations.isEmpty {
            lines.append("")
            lines.append(style.paint("Expectations", .bold))
            for (text, passed) in model.expectations {
                lines.append("  " + (passed ? style.paint(style.pass, .green) : style.paint(style.fail, .red)) + " " + text)
            }
        }
        lines.append("")
        lines.append(summaryLine(model))
        return lines.joined(separator: "\n") + "\n"
    }

    static func runtimeLine(_ header: TraceHeader?) -> String {
        guard let header else { return "runtime: unknown" }
        var parts = ["runtime: \(header.runtime)"]
        if let seed = header.seed { parts.append("seed \(seed)") }
        if let strategy = header.strategy { parts.append(strategy.rawValue) }
        if let cores = header.cores { parts.append("\(cores) simulated core\(cores == 1 ? "" : "s")") }
        parts.append("\(header.clock) clock")
        return parts.joined(separator: " · ")
    }

    public static func summaryLine(_ model: RunModel) -> String {
        var counts: [String] = []
        for state in [RunModel.FutureState.finished, .raised, .cancelled, .running, .pending] {
            let count = model.futures.filter { $0.state == state }.count
            if count > 0 { counts.append("\(count) \(state.rawValue)") }
        }
        let held = model.expectations.filter(\.passed).count
        var parts = ["\(model.futures.count) future\(model.futures.count == 1 ? "" : "s")" + (counts.isEmpty ? "" : " (\(counts.joined(separator: ", ")))")]
        if case .aborted(let signal, let time) = model.ending {
            parts.append("stopped by \(signal) at \(seconds(time)) s")
        } else {
            parts.append("ended at \(seconds(model.endTime)) s")
        }
        if !model.deadlocks.isEmpty { parts.append("DEADLOCK") }
        if !model.expectations.isEmpty { parts.append("\(held)/\(model.expectations.count) expectations hold") }
        return parts.joined(separator: " · ")
    }

    static func futuresTable(_ model: RunModel, style: ReportStyle) -> [String] {
        guard !model.futures.isEmpty else { return ["  (no futures)"] }
        let headers = ["id", "label", "state", "worker", "submitted", "started", "finished", "result / error"]
        let rows: [[String]] = model.futures.map { row in
            var outcome: String = switch row.state {
            case .finished: row.result ?? ""
            case .raised: RunModel.errorLine(type: row.type, exception: row.exception)
            default: ""
            }
            // A long value (a list of 1,600 hosts) is cut: the trace has it whole.
            if outcome.count > 60 { outcome = String(outcome.prefix(59)) + "…" }
            return [String(row.id), row.label, row.state.rawValue, row.worker ?? "—",
                    row.submitted.map(seconds) ?? "—", row.started.map(seconds) ?? "—", row.finished.map(seconds) ?? "—", outcome]
        }
        let widths = headers.indices.map { column in ([headers[column]] + rows.map { $0[column] }).map(\.count).max() ?? 0 }
        func line(_ cells: [String], paintState: Bool) -> String {
            let text = cells.indices.map { column -> String in
                let cell = column == 0 ? padLeft(cells[column], widths[column]) : pad(cells[column], widths[column])
                guard paintState, column == 2 else { return cell }
                switch cells[2] {
                case "finished": return style.paint(cell, .green)
                case "raised": return style.paint(cell, .red)
                case "cancelled": return style.paint(cell, .yellow)
                case "running": return style.paint(cell, .cyan)
                default: return style.paint(cell, .dim)
                }
            }
            return ("  " + text.joined(separator: "  ")).trimmingTrailingSpaces()
        }
        return [line(headers, paintState: false)] + rows.map { line($0, paintState: true) }
    }

    /// One line per named object: name, kind, state, waiters, and for a
    /// queue the most it held.
    static func objectsTable(_ model: RunModel) -> [String] {
        let objects = model.objects.objects
        let nameWidth = objects.map(\.name.count).max() ?? 4
        let kindWidth = objects.map(\.kind.count).max() ?? 4
        return objects.map { object in
            var text = "  \(pad(object.name, nameWidth))  \(pad(object.kind, kindWidth))  \(object.state)"
            if object.isQueue { text += " · held at most \(object.maxDepth)" }
            if let waiters = object.waitersText { text += " · " + waiters }
            return text
        }
    }

    static func format(_ value: Double) -> String {
        let rounded = (value * 1000).rounded() / 1000
        return rounded == rounded.rounded() && abs(rounded) < 1e15 ? String(Int(rounded)) + ".0" : "\(rounded)"
    }

    /// What became of a deadlock's waits: released (each raised DeadlockError
    /// and the run went on), or still blocked when the run ended.
    static func releaseSentence(_ deadlock: RunModel.Deadlock) -> String {
        let left = deadlock.blocked.map(\.thread).filter { !deadlock.released.contains($0) }
        if left.isEmpty, let time = deadlock.releasedAt {
            return "released at t=\(seconds(time))s: each of these waits raised DeadlockError, and the run went on"
        }
        if deadlock.released.isEmpty { return "never released: the run ended with these threads blocked" }
        return "released: \(deadlock.released.joined(separator: ", ")) (DeadlockError); still blocked at the end: \(left.joined(separator: ", "))"
    }
}
