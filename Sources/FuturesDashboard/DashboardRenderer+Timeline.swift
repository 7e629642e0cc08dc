import FuturesModel

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

    static func timeline(_ grid: inout CellGrid, _ dashboard: Dashboard, _ layout: Layout) {
        let model = dashboard.model
        let view = dashboard.view
        let (start, end) = window(dashboard)
        let plotX = layout.nameWidth + 2
        let plotWidth = layout.width - plotX
        let zoomed = dashboard.visibleSpan < dashboard.totalSpan
        let firstLane = min(view.laneScroll, max(0, model.lanes.count - 1))
        let lanesShown = model.lanes.count > layout.laneRows
            ? " · lanes \(firstLane + 1)–\(min(model.lanes.count, firstLane + layout.laneRows)) of \(model.lanes.count)" : ""
        sectionTitle(&grid, "Timeline", y: layout.timelineTop, width: layout.width, focused: view.focus == .timeline,
                     right: "\(seconds(start))–\(seconds(end)) s" + (zoomed ? " (zoomed)" : "") + lanesShown)
        func column(_ time: UInt64) -> Int {
            guard time > start else { return 0 }
            return min(plotWidth - 1, Int(Double(time - start) / Double(max(1, end - start)) * Double(plotWidth - 1)))
        }

        // Axis: tick labels, and ▼ over the cursor.
        let axisY = layout.timelineTop + 1
        let step = TimeAxis.tickStep(end: max(1, end - start), width: plotWidth)
        var tick = (start + step - 1) / step * step
        var free = 0
        while tick <= end {
            let x = column(tick)
            if x >= free {
                grid.write("╵" + TimeAxis.tickLabel(tick, step: step), x: plotX + x, y: axisY, style: .dim)
                free = x + TimeAxis.tickLabel(tick, step: step).count + 2
            }
            tick += step
        }
        let shown = dashboard.shownTime
        let cursorX = shown >= start && shown <= end ? plotX + column(shown) : nil
        if let cursorX { grid.write("▼", x: cursorX, y: axisY, style: .colored(.magenta, bold: true)) }

        let blocked = Set(model.deadlocks.flatMap { $0.blocked.map(\.thread) + $0.cycle })
        let selectedID = model.futures.indices.contains(view.selected) ? model.futures[view.selected].id : nil
        let lanes = model.lanes.dropFirst(firstLane).prefix(layout.laneRows)
        for (row, lane) in lanes.enumerated() {
            let y = layout.timelineTop + 2 + row
            let activity = model.activity(of: lane.thread)
            let glyph: (String, CellStyle) = switch activity?.kind {
            case .task?: ("▶", .colored(.cyan))
            case .wait?: ("◷", .colored(.yellow))
            case .gil?: ("▒", .colored(.red))
            case .hold?: ("▓", .colored(.magenta))
            case .sleep?: ("·", .dim)
            case nil: (" ", .plain)
            }
            grid.write(glyph.0, x: 0, y: y, style: glyph.1)
            // Worker names differ at the end (…_0, …_1): cut them at the front.
            let room = layout.nameWidth
            let name = lane.thread.count <= room ? lane.thread : "…" + lane.thread.suffix(room - 1)
            grid.write(name, x: 1, y: y, style: blocked.contains(lane.thread) ? .colored(.red, bold: true) : .plain, limit: room)
            var labels: [(x: Int, room: Int, text: String, style: CellStyle)] = []
            let first = model.firstBlock(in: lane, endingAfter: start)
            for block in lane.blocks[first...] {
                if block.start > end { break }
                let blockEnd = block.end ?? shown
                guard blockEnd >= start else { continue }
                let from = column(max(block.start, start))
                let to = max(from, column(min(blockEnd, end)) - (blockEnd > block.start && column(blockEnd) > from ? 1 : 0))
                switch block.kind {
                case .task:
                    var style = taskStyle(model.future(block.future ?? 0)?.state)
                    if block.future == selectedID { style.reverse = true }
                    for x in from...to { grid[plotX + x, y] = Cell("█", style) }
                    labels.append((from, to - from + 1, block.label, CellStyle(foreground: style.foreground, bold: true, reverse: true)))
                case .hold:
                    for x in from...to where grid[plotX + x, y].character == " " { grid[plotX + x, y] = Cell("▓", .colored(.magenta)) }
                case .wait, .sleep, .gil:
                    let glyph: Character = block.kind == .wait ? "░" : block.kind == .gil ? "▒" : "·"
                    for x in from...to {
                        let under = grid[plotX + x, y]
                        let own: CellStyle = block.kind == .wait ? .colored(.yellow) : block.kind == .gil ? .colored(.red) : .dim
                        let style = under.character == "█" && block.kind != .gil
                            ? CellStyle(foreground: under.style.foreground, reverse: under.style.reverse) : own
                        grid[plotX + x, y] = Cell(glyph, style)
                    }
                }
            }
            for label in labels where label.room >= 2 {
                let text = label.text.count <= label.room ? label.text : String(label.text.prefix(label.room - 1)) + "…"
                grid.write(text, x: plotX + label.x, y: y, style: label.style)
            }
            if let cursorX, grid[cursorX, y].character == " " { grid[cursorX, y] = Cell("│", .colored(.magenta)) }
        }
    }

    /// A task block's colour, by its future's state.
    static func taskStyle(_ state: RunModel.FutureState?) -> CellStyle {
        switch state {
        case .running?: .colored(.cyan)
        case .finished?: .colored(.green)
        case .raised?: .colored(.red)
        case .cancelled?: .colored(.magenta)
        case .pending?, nil: .colored(.blue)
        }
    }
}
