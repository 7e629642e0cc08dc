import FuturesModel
import FuturesTraceSchema

extension DashboardRenderer {
    // MARK: - Futures

    static func stateGlyph(_ state: RunModel.FutureState) -> (String, CellStyle) {
        switch state {
        case .pending: ("○ pending", .dim)
        case .running: ("▶ running", .colored(.cyan, bold: true))
        case .finished: ("✔ finished", .colored(.green))
        case .raised: ("✘ raised", .colored(.red, bold: true))
        case .cancelled: ("⊘ cancelled", .colored(.magenta))
        }
    }

    static func futures(_ grid: inout CellGrid, _ dashboard: Dashboard, _ layout: Layout) {
        let model = dashboard.model
        let view = dashboard.view
        let counts = [RunModel.FutureState.running, .pending, .finished, .raised, .cancelled].compactMap { state -> String? in
            let count = model.stateCounts[state] ?? 0
            return count == 0 ? nil : "\(count) \(state.rawValue)"
        }.joined(separator: " · ")
        sectionTitle(&grid, "Futures (\(model.futures.count))", y: layout.futuresTop, width: layout.width,
                     focused: view.focus == .futures, right: counts)
        let labelWidth = min(28, max(8, model.longestLabel))
        let workerWidth = min(26, max(6, model.longestWorker))
        let columns: [(title: String, width: Int)] = [
            ("id", 5), ("label", labelWidth), ("state", 11), ("worker", workerWidth),
            ("submitted", 9), ("started", 9), ("finished", 9), ("result / error", 0),
        ]
        var x = 1
        for column in columns {
            grid.write(column.title, x: x, y: layout.futuresTop + 1, style: .bold)
            x += column.width + 1
        }
        // Futures caught in a deadlock: running on one of its threads when it was found.
        let waiting: Set<UInt64> = model.deadlocks.isEmpty ? [] : Set(model.deadlocks.flatMap { deadlock in
            let threads = Set(deadlock.blocked.map(\.thread) + deadlock.cycle)
            return model.futures.filter { row in
                row.worker.map(threads.contains) == true && (row.started ?? .max) <= deadlock.time && (row.finished ?? .max) >= deadlock.time
            }.map(\.id)
        })
        let scroll = max(0, min(view.selected - layout.futureRows + 1, max(0, model.futures.count - layout.futureRows)))
        let first = max(0, min(scroll, view.selected))
        for (row, future) in model.futures.dropFirst(first).prefix(layout.futureRows).enumerated() {
            let y = layout.futuresTop + 2 + row
            let isSelected = first + row == view.selected
            let (stateText, stateStyle) = stateGlyph(future.state)
            let outcome: String = switch future.state {
            case .finished: future.result ?? ""
            case .raised: "\(future.type ?? "Error"): \(future.exception ?? "")"
            default: ""
            }
            let cells: [(String, CellStyle)] = [
                (String(future.id), .plain), (future.label, .plain), (stateText, stateStyle), (future.worker ?? "—", .plain),
                (future.submitted.map(seconds) ?? "—", .dim), (future.started.map(seconds) ?? "—", .dim),
                (future.finished.map(seconds) ?? "—", .dim), (outcome, future.state == .raised ? .colored(.red) : .plain),
            ]
            var x = 1
            for (index, (text, style)) in cells.enumerated() {
                let width = columns[index].width == 0 ? layout.width - x : columns[index].width
                let shown = index == 0 ? String(repeating: " ", count: max(0, width - text.count)) + text : text
                grid.write(shown, x: x, y: y, style: style, limit: width)
                x += width + 1
            }
            if waiting.contains(future.id) {
                grid.write("!", x: 0, y: y, style: .colored(.red, bold: true))
                grid.restyle(x: 7, y: y, width: columns[1].width) { $0.foreground = .red; $0.bold = true }
            }
            if isSelected {
                grid.restyle(x: 0, y: y, width: layout.width) { $0.reverse = true }
                if view.focus == .futures { grid.write("›", x: 0, y: y, style: CellStyle(foreground: .cyan, bold: true, reverse: true)) }
            }
        }
        if model.futures.isEmpty {
            grid.write("(no futures yet)", x: 1, y: layout.futuresTop + 2, style: .dim)
        }
    }

    // MARK: - Narration and log

    static func narrationAndLog(_ grid: inout CellGrid, _ dashboard: Dashboard, _ layout: Layout) {
        let model = dashboard.model
        if let note = model.notes.last {
            grid.write("▸ " + note.text, x: 0, y: layout.narrationTop, style: .colored(.magenta, bold: true))
        }
        let lines = model.log.filter { $0.level != "note" }
        sectionTitle(&grid, "Log", y: layout.logTop, width: layout.width, focused: dashboard.view.focus == .log,
                     right: dashboard.view.logScroll > 0 ? "\(dashboard.view.logScroll) lines back" : "")
        let endIndex = max(0, lines.count - dashboard.view.logScroll)
        let shown = lines[..<endIndex].suffix(layout.logRows)
        for (row, line) in shown.enumerated() {
            let style: CellStyle = line.level == "error" || line.level == "critical" ? .colored(.red) : .plain
            let x = grid.write("[+\(seconds(line.time))s] ", x: 0, y: layout.logTop + 1 + row, style: .dim)
            grid.write(line.message, x: x, y: layout.logTop + 1 + row, style: style)
        }
    }

    // MARK: - Overlays

    /// A bordered box in the middle of the screen with `lines` in it.
    static func box(_ grid: inout CellGrid, title: String, lines: [(String, CellStyle)]) {
        let inner = min(grid.width - 4, max(title.count + 4, lines.map(\.0.count).max() ?? 0) + 2)
        let height = min(grid.height - 2, lines.count + 2)
        let x = max(0, (grid.width - inner - 2) / 2)
        let y = max(0, (grid.height - height) / 2)
        grid.fill(x: x, y: y, width: inner + 2, height: height, with: Cell(" "))
        grid.write("╭" + String(repeating: "─", count: inner) + "╮", x: x, y: y, style: .colored(.cyan))
        grid.write(" \(title) ", x: x + 2, y: y, style: .colored(.cyan, bold: true))
        for row in 1..<(height - 1) {
            grid.write("│", x: x, y: y + row, style: .colored(.cyan))
            grid.write("│", x: x + inner + 1, y: y + row, style: .colored(.cyan))
            let (text, style) = lines[row - 1]
            grid.write(text, x: x + 2, y: y + row, style: style, limit: inner - 2)
        }
        grid.write("╰" + String(repeating: "─", count: inner) + "╯", x: x, y: y + height - 1, style: .colored(.cyan))
    }

    static func help(_ grid: inout CellGrid) {
        let keyWidth = Keymap.help.map(\.keys.count).max() ?? 5
        var lines: [(String, CellStyle)] = Keymap.help.map { (pad($0.keys, keyWidth) + "   " + $0.action, .plain) }
        lines.append(("", .plain))
        lines.append(("lanes: █ running  ░ waiting  ▒ waiting for the GIL  · sleeping / I/O  (blank: idle)", .dim))
        lines.append(("futures: ○ pending ▶ running ✔ finished ✘ raised ⊘ cancelled", .dim))
        lines.append(("esc or ? closes this window", .dim))
        box(&grid, title: "Keys", lines: lines)
    }

    static func detail(_ grid: inout CellGrid, _ dashboard: Dashboard, _ id: UInt64) {
        let model = dashboard.model
        guard let future = model.future(id) else { return }
        let (stateText, stateStyle) = stateGlyph(future.state)
        var lines: [(String, CellStyle)] = [
            ("label      \(future.label)", .bold),
            ("state      \(stateText)", stateStyle),
            ("executor   \(future.executor ?? "—")", .plain),
            ("ran on     \(future.worker ?? "not started")", .plain),
            ("submitted  \(future.submitted.map { seconds($0) + " s" } ?? "—")", .plain),
            ("started    \(future.started.map { seconds($0) + " s" } ?? "—")", .plain),
            ("finished   \(future.finished.map { seconds($0) + " s" } ?? "—")", .plain),
        ]
        if let started = future.started, let submitted = future.submitted {
            lines.append(("queued for \(seconds(started - min(started, submitted))) s, ran for \(seconds((future.finished ?? dashboard.shownTime) - started)) s", .dim))
        }
        switch future.state {
        case .finished: lines.append(("result     \(future.result ?? "") (\(future.type ?? ""))", .colored(.green)))
        case .raised: lines.append(("error      \(future.type ?? "Error"): \(future.exception ?? "")", .colored(.red)))
        default: break
        }
        let waiters = model.waiters[id] ?? []
        lines.append(("waited on by \(waiters.isEmpty ? "nobody now" : waiters.joined(separator: ", "))", waiters.isEmpty ? .dim : .colored(.yellow)))
        for deadlock in model.deadlocks where deadlock.blocked.contains(where: { waiters.contains($0.thread) }) {
            lines.append(("in the deadlock: \(deadlock.cycle.joined(separator: " → "))", .colored(.red, bold: true)))
        }
        lines.append(("esc closes", .dim))
        box(&grid, title: "Future \(id)", lines: lines)
    }
}
