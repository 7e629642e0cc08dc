import FuturesModel
import FuturesTraceSchema

extension DashboardRenderer {
    static func stateGlyph(_ state: RunModel.FutureState) -> (String, CellStyle) {
        switch state {
        case .pending: ("○ pending", .dim)
        case .running: ("▶ running", .colored(.cyan, bold: true))
        case .finished: ("✔ finished", .colored(.green))
        case .raised: ("✘ raised", .colored(.red, bold: true))
        case .cancelled: ("⊘ cancelled", .colored(.magenta))
        }
    }

    /// The futures table's columns for a width: the result column always
    /// stays (at least 12 wide); submitted, started, worker and finished
    /// give way first, in that order; labels and workers are cut with `…`.
    static func futureColumns(_ model: RunModel, width: Int) -> [(title: String, width: Int)] {
        let labelWidth = min(24, max(5, model.longestLabel))
        let workerWidth = min(24, max(6, model.longestWorker))
        var columns: [(title: String, width: Int)] = [
            ("id", 4), ("label", labelWidth), ("state", 11), ("worker", workerWidth),
            ("submitted", 9), ("started", 7), ("finished", 8), ("result / error", 0),
        ]
        // `›` and `!` have columns of their own: 2 columns before the table.
        func used() -> Int { 2 + columns.dropLast().map { $0.width + 1 }.reduce(0, +) }
        for dropped in ["submitted", "started", "worker", "finished"] where width - used() < 12 {
            columns.removeAll { $0.title == dropped }
        }
        if width - used() < 12, let label = columns.firstIndex(where: { $0.title == "label" }) {
            columns[label].width = max(5, columns[label].width - (12 - (width - used())))
        }
        return columns
    }

    static func futures(_ grid: inout CellGrid, _ dashboard: Dashboard, _ layout: Layout) {
        let model = dashboard.model
        let view = dashboard.view
        let rows = dashboard.shownFutures
        let counts = [RunModel.FutureState.running, .pending, .finished, .raised, .cancelled].compactMap { state -> String? in
            let count = model.count(of: state)
            return count == 0 ? nil : "\(count) \(state.rawValue)"
        }.joined(separator: " · ")
        let title = model.futures.isEmpty ? "Futures (none)"
            : view.filter.map { "Futures: \($0.rawValue) (\(rows.count) of \(model.futures.count))" } ?? "Futures (\(model.futures.count))"
        sectionTitle(&grid, title, y: layout.futuresTop, width: layout.width, focused: view.focus == .futures, right: counts)
        guard layout.futureHeader else { return }
        let columns = futureColumns(model, width: layout.width)
        var x = 2
        for column in columns {
            grid.write(column.title, x: x, y: layout.futuresTop + 1, style: .bold, limit: column.width == 0 ? layout.width - x : column.width)
            x += column.width + 1
        }
        // Futures caught in a deadlock: running on one of its threads when it was found.
        let waiting: Set<UInt64> = model.deadlocks.isEmpty ? [] : Set(model.deadlocks.flatMap { deadlock in
            let threads = Set(deadlock.blocked.map(\.thread) + deadlock.cycle)
            return model.futures.filter { row in
                row.worker.map(threads.contains) == true && (row.started ?? .max) <= deadlock.time && (row.finished ?? .max) >= deadlock.time
            }.map(\.id)
        })
        let first = max(0, min(view.selected - layout.futureRows + 1, rows.count - layout.futureRows))
        for (row, future) in rows.dropFirst(first).prefix(layout.futureRows).enumerated() {
            let y = layout.futuresTop + 2 + row
            let isSelected = first + row == view.selected
            let (stateText, stateStyle) = stateGlyph(future.state)
            let outcome: String = switch future.state {
            case .finished: future.result ?? ""
            case .raised: RunModel.errorLine(type: future.type, exception: future.exception)
            default: ""
            }
            var x = 2
            for column in columns {
                let width = column.width == 0 ? layout.width - x : column.width
                let (text, style): (String, CellStyle) = switch column.title {
                case "id": (String(future.id), .plain)
                case "label": (future.label, waiting.contains(future.id) ? .colored(.red, bold: true) : .plain)
                case "state": (stateText, stateStyle)
                case "worker": (future.worker.map { $0.count <= width ? $0 : "…" + $0.suffix(width - 1) } ?? "—", .plain)
                case "submitted": (future.submitted.map(seconds) ?? "—", .dim)
                case "started": (future.started.map(seconds) ?? "—", .dim)
                case "finished": (future.finished.map(seconds) ?? "—", .dim)
                default: (outcome, future.state == .raised ? .colored(.red) : .plain)
                }
                let shown = column.title == "id" ? String(repeating: " ", count: max(0, width - text.count)) + text : fit(text, width)
                grid.write(shown, x: x, y: y, style: style, limit: width)
                x += width + 1
            }
            if waiting.contains(future.id) { grid.write("!", x: 1, y: y, style: .colored(.red, bold: true)) }
            if isSelected {
                grid.restyle(x: 2, y: y, width: layout.width - 2) { $0.reverse = true }
                if view.focus == .futures { grid.write("›", x: 0, y: y, style: .colored(.cyan, bold: true)) }
            }
        }
        if rows.isEmpty {
            grid.write(view.filter.map { "(no \($0.rawValue) futures: f for the next state)" } ?? "", x: 2, y: layout.futuresTop + 2, style: .dim)
        }
    }

    // MARK: - Narration and log

    static func narrationAndLog(_ grid: inout CellGrid, _ dashboard: Dashboard, _ layout: Layout) {
        let model = dashboard.model
        if layout.showsNarration, let note = model.notes.last {
            grid.write(fit("▸ " + note.text, layout.width), x: 0, y: layout.narrationTop, style: .colored(.magenta, bold: true))
        }
        let lines = model.log.filter { $0.level != "note" }
        sectionTitle(&grid, lines.isEmpty ? "Log (empty)" : "Log", y: layout.logTop, width: layout.width, focused: dashboard.view.focus == .log,
                     right: dashboard.view.logScroll > 0 ? "\(dashboard.view.logScroll) lines back" : "")
        let endIndex = max(0, lines.count - dashboard.view.logScroll)
        let shown = lines[..<endIndex].suffix(layout.logRows)
        for (row, line) in shown.enumerated() {
            let style: CellStyle = line.level == "error" || line.level == "critical" ? .colored(.red) : .plain
            let x = grid.write("[+\(seconds(line.time))s] ", x: 0, y: layout.logTop + 1 + row, style: .dim)
            grid.write(fit(line.message, layout.width - x), x: x, y: layout.logTop + 1 + row, style: style)
        }
    }
}
