import FuturesModel
import FuturesTraceSchema

/// Draws the dashboard: `render(dashboard, width, height)` is a pure function
/// of the state and the size, so it is snapshot-tested and replays draw
/// exactly what live runs drew.
public enum DashboardRenderer {
    public static func render(_ dashboard: Dashboard, width: Int, height: Int) -> CellGrid {
        var grid = CellGrid(width: width, height: height)
        let model = dashboard.model
        let rows = TimelineRows(model)
        let banner = bannerLines(dashboard, width: width)
        let needs = Layout.Needs(timeline: rows.rows.count, lanes: model.lanes.count, futures: dashboard.shownFutures.count, objects: model.objects.objects.count,
                                 log: model.log.count { $0.level != "note" }, finalLog: dashboard.playback.logLines, banner: banner.count, narration: !model.notes.isEmpty,
                                 longestLaneName: model.lanes.map(\.thread.count).max() ?? 10)
        let layout = Layout(width: width, height: height, needs: needs)
        guard layout.fits else {
            let lines = ["FuturesLab needs at least \(Layout.minimumWidth)×\(Layout.minimumHeight);",
                         "this terminal is \(width)×\(height).", "Enlarge it, or press q to quit."]
            for (index, line) in lines.enumerated() where index < height {
                grid.write(line, x: max(0, (width - line.count) / 2), y: max(0, height / 2 - 1) + index - (height < 3 ? 1 : 0))
            }
            return finish(grid, dashboard)
        }
        header(&grid, dashboard, layout)
        for (row, line) in banner.prefix(layout.bannerRows).enumerated() {
            let y = layout.bannerTop + row
            let style = CellStyle(foreground: .red, bold: row == 0, reverse: true)
            grid.fill(x: 0, y: y, width: width, height: 1, with: Cell(" ", style))
            let cut = row == layout.bannerRows - 1 && banner.count > layout.bannerRows
            grid.write(cut ? fit(line, width - 1, always: true) : line, x: 0, y: y, style: style)
        }
        timeline(&grid, dashboard, layout, rows)
        futures(&grid, dashboard, layout)
        objects(&grid, dashboard, layout)
        narrationAndLog(&grid, dashboard, layout)
        footer(&grid, dashboard, layout)
        if let manual = dashboard.view.manual { self.manual(&grid, manual) }
        switch dashboard.view.overlay {
        case .help?: help(&grid, dashboard)
        case .detail(let id)?: detail(&grid, dashboard, id)
        case .object(let name)?: objectDetail(&grid, dashboard, name)
        case .thread(let name)?: threadDetail(&grid, dashboard, name)
        case .knobs?: knobs(&grid, dashboard)
        case .question(let index)?: question(&grid, dashboard, index)
        case nil: break
        }
        return finish(grid, dashboard)
    }

    /// Without colour, every style keeps only its attributes.
    static func finish(_ grid: CellGrid, _ dashboard: Dashboard) -> CellGrid {
        guard !dashboard.view.color else { return grid }
        var plain = grid
        for row in 0..<grid.height { plain.restyle(x: 0, y: row, width: grid.width) { $0 = $0.monochrome } }
        return plain
    }

    // MARK: - Header

    static func header(_ grid: inout CellGrid, _ dashboard: Dashboard, _ layout: Layout) {
        let header = dashboard.playback.header
        let state = dashboard.runState
        let stateStyle: CellStyle = switch state {
        case .running: .colored(.green, bold: true)
        case .paused: .colored(.yellow, bold: true)
        case .finished: .colored(.cyan, bold: true)
        case .deadlock: CellStyle(foreground: .red, bold: true, reverse: true)
        case .stopped: .colored(.yellow, bold: true)
        }
        let live = dashboard.view.isLive && state == .running && dashboard.view.cursor == nil
        let badge = " \(state.rawValue)\(live ? " · LIVE" : "") "
        let title = header.map { ($0.title ?? $0.program).isEmpty ? $0.program : ($0.title ?? $0.program) } ?? "FuturesLab"
        grid.write(fit("FuturesLab · " + title, layout.width - badge.count - 1), x: 0, y: 0, style: .bold)
        grid.write(badge, x: layout.width - badge.count, y: 0, style: stateStyle)

        var parts: [String] = []
        if let header {
            var runtime = header.runtime.rawValue
            if let seed = header.seed { runtime += " · seed \(seed)" }
            parts.append(runtime)
            parts.append("\(header.clock.rawValue) t=\(seconds(dashboard.playback.playhead))s")
        }
        parts.append(dashboard.view.manual != nil ? "you schedule" : dashboard.view.isLive ? "real time" : "speed \(dashboard.view.speedText)")
        if let cursor = dashboard.view.cursor { parts.append("cursor t=\(seconds(cursor))s") }
        if let params = header?.params, !params.isEmpty {
            parts.append(params.map { "\($0.name)=\($0.json)" }.joined(separator: " "))
        }
        parts.append(executorsText(dashboard.model))
        grid.write(fit(parts.joined(separator: " · "), layout.width), x: 0, y: 1, style: .dim)
    }

    /// `gil_threads_2 ×2, processes_2 ×2, 3 threads`: the scenario's executors
    /// (their workers so far), then the program's own threads.
    static func executorsText(_ model: RunModel) -> String {
        var groups: [(String, Int)] = []
        for lane in model.lanes where lane.group != "main" && lane.group != "threads" && !lane.group.hasSuffix("/main") && !lane.group.hasSuffix("/threads") {
            if groups.last?.0 == lane.group { groups[groups.count - 1].1 += 1 } else { groups.append((lane.group, 1)) }
        }
        var running = groups.map { "\($0.0) ×\($0.1)" }
        let threads = model.lanes.count { $0.group == "threads" || $0.group.hasSuffix("/threads") }
        if threads > 0 { running.append(threads == 1 ? "1 thread" : "\(threads) threads") }
        return running.isEmpty ? "no workers yet" : running.joined(separator: ", ")
    }

    /// The deadlock banner, wrapped: shown from the deadlock's time on (the
    /// model is the run at the cursor).
    static func bannerLines(_ dashboard: Dashboard, width: Int) -> [String] {
        guard let deadlock = dashboard.model.deadlocks.first else { return [] }
        var lines = wrap(" DEADLOCK at t=\(seconds(deadlock.time))s (\(deadlock.kind.rawValue)): " + (deadlock.explanation.first ?? deadlock.cycle.joined(separator: " → ")),
                         width: width - 1)
        for line in deadlock.explanation.dropFirst() { lines += wrap("   " + line, width: width - 1) }
        return lines
    }

    // MARK: - Footer

    /// Footer hints, most wanted first: what does not fit is left out, and
    /// the footer always ends with `? help · q quit`.
    static let hints = ["space pause", "←/→ cursor", "tab focus", "enter detail", "/ search", "s step", "+/- speed",
                        "z/Z zoom", "f filter", "↑/↓ select", "r/R rerun"]
    static let lastHints = "? help · q quit"

    static func footerText(width: Int) -> String {
        var chosen: [String] = []
        var length = lastHints.count + 2
        for hint in hints where length + hint.count + 3 <= width {
            chosen.append(hint)
            length += hint.count + 3
        }
        return " " + (chosen + [lastHints]).joined(separator: " · ")
    }

    static func footer(_ grid: inout CellGrid, _ dashboard: Dashboard, _ layout: Layout) {
        let y = layout.footerTop
        grid.fill(x: 0, y: y, width: layout.width, height: 1, with: Cell(" ", .reverse))
        let view = dashboard.view
        if let input = view.searchInput {
            let text = " search: " + input + "▏  enter: find · esc: cancel"
            grid.write(fit(text, layout.width), x: 0, y: y, style: CellStyle(foreground: .cyan, bold: true, reverse: true))
        } else if let message = view.message {
            let room = layout.width - lastHints.count - 2
            grid.write(fit(" " + message, room), x: 0, y: y, style: CellStyle(foreground: .yellow, bold: true, reverse: true))
            grid.write(lastHints + " ", x: layout.width - lastHints.count - 1, y: y, style: .reverse)
        } else {
            grid.write(footerText(width: layout.width), x: 0, y: y, style: .reverse)
        }
    }

    // MARK: - Sections

    /// `── Title ───…` with the focused pane's title highlighted.
    static func sectionTitle(_ grid: inout CellGrid, _ title: String, y: Int, width: Int, focused: Bool, right: String = "") {
        let rule: Character = "─"
        grid.fill(x: 0, y: y, width: width, height: 1, with: Cell(rule, .dim))
        grid.write(String(rule) + " ", x: 0, y: y, style: .dim)
        grid.write(title, x: 2, y: y, style: focused ? CellStyle(foreground: .cyan, bold: true, reverse: true) : .bold)
        grid.write(" ", x: 2 + title.count, y: y)
        let room = width - title.count - 7
        if !right.isEmpty, room > 3 {
            let shown = fit(right, room)
            grid.write(" " + shown + " ", x: width - shown.count - 3, y: y, style: .dim)
        }
    }

    /// The terminal colour of a legend colour.
    static func color(_ color: LegendEntry.Color) -> CellStyle.Color {
        switch color {
        case .blue: .blue
        case .magenta: .magenta
        case .yellow: .yellow
        case .cyan: .cyan
        case .green: .green
        case .gray: .gray
        case .red: .red
        case .normal: .normal
        }
    }
}

func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? String(text.prefix(width)) : text + String(repeating: " ", count: width - text.count)
}

/// `text` cut to `width` columns with an ellipsis when it does not fit (or,
/// with `always`, ending in one anyway: more follows).
func fit(_ text: String, _ width: Int, always: Bool = false) -> String {
    guard width > 0 else { return "" }
    if text.count <= width, !always { return text }
    return String(text.prefix(min(text.count, width - 1))) + "…"
}

/// `text` in lines of at most `width` columns, broken at spaces where it can.
func wrap(_ text: String, width: Int) -> [String] {
    guard width > 4, !text.isEmpty else { return [text] }
    var lines: [String] = []
    var rest = Substring(text)
    let indent = String(text.prefix { $0 == " " }) + "  "
    var first = true
    while !rest.isEmpty {
        let room = first ? width : width - indent.count
        if rest.count <= room {
            lines.append((first ? "" : indent) + rest)
            break
        }
        let window = rest.prefix(room)
        let cut = window.lastIndex(of: " ").map { rest.distance(from: rest.startIndex, to: $0) } ?? room
        let take = cut > room / 3 ? cut : room
        lines.append((first ? "" : indent) + rest.prefix(take))
        rest = rest.dropFirst(take).drop { $0 == " " }
        first = false
    }
    return lines
}
