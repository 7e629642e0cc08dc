import FuturesModel
import FuturesTraceSchema

extension DashboardRenderer {
    /// The time window the timeline shows: the whole run, or a zoomed span
    /// around the cursor (or the playhead).
    static func window(_ dashboard: Dashboard) -> (start: UInt64, end: UInt64) {
        let total = dashboard.totalSpan
        let span = dashboard.visibleSpan
        guard span < total else { return (0, total) }
        let center = dashboard.shownTime
        var start = center > span / 2 ? center - span / 2 : 0
        if start + span > total { start = total - span }
        return (start, start + span)
    }

    /// Group headings and lanes, each lane drawn from the lane model column
    /// by column (`LaneModel.Lane.cells`, as the headless timeline draws
    /// it), the axis above, the legend of what is drawn below.
    static func timeline(_ grid: inout CellGrid, _ dashboard: Dashboard, _ layout: Layout, _ timelineRows: TimelineRows) {
        let model = dashboard.model
        let view = dashboard.view
        let (start, end) = window(dashboard)
        let plotX = layout.nameWidth + 1
        let plotWidth = layout.width - plotX
        let zoomed = dashboard.visibleSpan < dashboard.totalSpan
        let rows = timelineRows.rows
        let first = max(0, min(view.laneScroll, rows.count - layout.laneRows))
        let rowsShown = rows.count > layout.laneRows ? " · rows \(first + 1)–\(min(rows.count, first + layout.laneRows)) of \(rows.count)" : ""
        let bottom = layout.timelineTop + 2 + layout.laneRows
        sectionTitle(&grid, "Timeline", y: layout.timelineTop, width: layout.width, focused: view.focus == .timeline,
                     right: "\(seconds(start))–\(seconds(end)) s" + (zoomed ? " (zoomed)" : "") + rowsShown)
        func column(_ time: UInt64) -> Int { LaneModel.column(of: time, start: start, end: end, count: plotWidth) }

        // Axis: ▼ over the cursor, tick labels where they do not cover it.
        let axisY = layout.timelineTop + 1
        let shown = dashboard.shownTime
        let cursorX = shown >= start && shown <= end ? plotX + column(shown) : nil
        if let cursorX { grid.write("▼", x: cursorX, y: axisY, style: .colored(.magenta, bold: true)) }
        let step = TimeAxis.tickStep(end: max(1, end - start), width: plotWidth)
        var tick = (start + step - 1) / step * step
        var free = plotX
        while tick <= end {
            let x = plotX + column(tick)
            let label = "╵" + TimeAxis.tickLabel(tick, step: step)
            let clear = cursorX.map { $0 < x || $0 >= x + label.count } ?? true
            if x >= free, clear, x + label.count <= layout.width {
                grid.write(label, x: x, y: axisY, style: .dim)
                free = x + label.count + 1
            }
            // Saturating: a run whose clock nears 2^64 ns ends the ruler, not the program.
            let (next, overflow) = tick.addingReportingOverflow(step)
            if overflow { break }
            tick = next
        }

        let inDeadlock = Set(model.deadlocks.flatMap { $0.blocked.map(\.thread) + $0.cycle })
        let selectedID = dashboard.shownFutures.indices.contains(view.selected) ? dashboard.shownFutures[view.selected].id : nil
        // Once a frame: it walks the timeline's rows.
        let selectedLane = view.focus == .timeline ? dashboard.selectedLane : nil
        var drawn: [[LaneCell]] = []
        var y = layout.timelineTop + 2
        for item in rows.dropFirst(first) where y < bottom {
            switch item {
            case .heading(let text):
                grid.write(fit(text, layout.width - 1), x: 0, y: y, style: CellStyle(foreground: .cyan, bold: true))
                y += 1
            case .lane(let lane):
                let now = lane.segments.last.flatMap { $0.end == nil ? $0 : nil }
                if let entry = now?.kind.legend, now?.kind != .idle {
                    grid.write(String(entry.glyph), x: 0, y: y, style: .colored(color(entry.color)))
                }
                // Worker names differ at the end (…_0, …_1): cut them at the front.
                let room = layout.nameWidth - 1
                let name = lane.thread.count <= room ? lane.thread : "…" + lane.thread.suffix(room - 1)
                var nameStyle: CellStyle = inDeadlock.contains(lane.thread) ? .colored(.red, bold: true) : .plain
                if lane.thread == selectedLane { nameStyle.reverse = true }
                grid.write(name, x: 1, y: y, style: nameStyle, limit: room)
                let cells = lane.cells(from: start, to: end, count: plotWidth, now: shown)
                drawn.append(cells)
                let text = LaneText.render(cells, unicode: true) { model.label(of: $0) }
                for (x, character) in text.enumerated() {
                    var style = CellStyle(foreground: color(character.color))
                    if character.isLabel { style = CellStyle(foreground: color(character.color), bold: true, reverse: true) }
                    if character.color == .red { style.bold = true }
                    if let selectedID, character.task == selectedID, cells[x].kind != nil { style.reverse = !character.isLabel }
                    grid[plotX + x, y] = Cell(character.character, style)
                    // A thick lane repeats its glyphs below (labels stay on the first row).
                    for extra in 1..<max(1, min(layout.laneHeight, bottom - y)) {
                        let entry = cells[x].legend
                        grid[plotX + x, y + extra] = Cell(entry?.glyph ?? " ", CellStyle(foreground: color(entry?.color ?? .normal), bold: entry?.color == .red))
                    }
                }
                for row in y..<min(bottom, y + layout.laneHeight) {
                    if let cursorX, grid[cursorX, row].character == " " { grid[cursorX, row] = Cell("│", .colored(.magenta)) }
                }
                y += layout.laneHeight
            }
        }
        // The legend of what is drawn.
        let legend = LaneLegend.entries(drawn: drawn)
        let legendY = layout.timelineTop + 2 + layout.laneRows
        var x = 1
        for entry in legend {
            let width = entry.word.count + 2
            guard x + width <= layout.width else {
                grid.write("…", x: min(x, layout.width - 1), y: legendY, style: .dim)
                break
            }
            grid.write(String(entry.glyph), x: x, y: legendY, style: .colored(color(entry.color), bold: entry.color == .red))
            grid.write(entry.word, x: x + 2, y: legendY, style: .dim)
            x += width + 2
        }
    }
}
