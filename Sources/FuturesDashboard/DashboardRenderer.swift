import FuturesModel
import FuturesTraceSchema

/// Draws the dashboard: `render(dashboard, width, height)` is a pure function
/// of the state and the size, so it is snapshot-tested and replays draw
/// exactly what live runs drew.
public enum DashboardRenderer {
    public static func render(_ dashboard: Dashboard, width: Int, height: Int) -> CellGrid {
        var grid = CellGrid(width: width, height: height)
        let model = dashboard.model
        let layout = Layout(width: width, height: height, lanes: model.lanes.count, futures: model.futures.count,
                            longestLaneName: model.lanes.map(\.thread.count).max() ?? 10)
        guard layout.fits else {
            let lines = ["FuturesLab needs at least \(Layout.minimumWidth)×\(Layout.minimumHeight);",
                         "this terminal is \(width)×\(height).", "Enlarge it, or press q to quit."]
            for (index, line) in lines.enumerated() where index < height {
                grid.write(line, x: max(0, (width - line.count) / 2), y: max(0, height / 2 - 1) + index - (height < 3 ? 1 : 0))
            }
            return finish(grid, dashboard)
        }
        header(&grid, dashboard, layout)
        timeline(&grid, dashboard, layout)
        futures(&grid, dashboard, layout)
        narrationAndLog(&grid, dashboard, layout)
        footer(&grid, dashboard, layout)
        switch dashboard.view.overlay {
        case .help?: help(&grid)
        case .detail(let id)?: detail(&grid, dashboard, id)
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
        let model = dashboard.model
        let header = dashboard.playback.header
        let state = dashboard.runState
        let stateStyle: CellStyle = switch state {
        case .running: .colored(.green, bold: true)
        case .paused: .colored(.yellow, bold: true)
        case .finished: .colored(.cyan, bold: true)
        case .deadlock: CellStyle(foreground: .red, bold: true, reverse: true)
        }
        let badge = " \(state.rawValue) "
        let title = header.map { ($0.title ?? $0.program).isEmpty ? $0.program : ($0.title ?? $0.program) } ?? "FuturesLab"
        grid.write("FuturesLab · " + title, x: 0, y: 0, style: .bold, limit: layout.width - badge.count - 1)
        grid.write(badge, x: layout.width - badge.count, y: 0, style: stateStyle)

        var executors: [String: Int] = [:]
        for (_, executor) in model.workerExecutors { executors[executor, default: 0] += 1 }
        var running = executors.keys.sorted().map { "\($0) ×\(executors[$0]!)" }
        // Threads of the program's own (started threads, actors, handlers).
        let threads = model.lanes.filter { $0.thread != "MainThread" && model.workerExecutors[$0.thread] == nil }.count
        if threads > 0 { running.append(threads == 1 ? "1 thread" : "\(threads) threads") }
        var parts = [running.isEmpty ? "no workers yet" : running.joined(separator: ", ")]
        if let header {
            var runtime = header.runtime.rawValue
            if let seed = header.seed { runtime += " · seed \(seed)" }
            parts.append(runtime)
            parts.append("\(header.clock.rawValue) t=\(seconds(dashboard.playback.playhead))s")
        }
        parts.append(dashboard.view.isLive ? "real time" : "speed \(dashboard.view.speedText)")
        if let cursor = dashboard.view.cursor { parts.append("cursor t=\(seconds(cursor))s") }
        grid.write(parts.joined(separator: " · "), x: 0, y: 1, style: .dim)

        if let deadlock = dashboard.playback.model.deadlocks.first {
            let cycle = deadlock.cycle.isEmpty ? "" : ": " + deadlock.cycle.joined(separator: " → ")
            let text = " DEADLOCK at t=\(seconds(deadlock.time))s (\(deadlock.kind.rawValue))\(cycle) "
            grid.fill(x: 0, y: 2, width: layout.width, height: 1, with: Cell(" ", CellStyle(foreground: .red, reverse: true)))
            grid.write(text, x: 0, y: 2, style: CellStyle(foreground: .red, bold: true, reverse: true))
        }
    }

    // MARK: - Footer

    static let hints = "space pause · s step · +/- speed · ←/→ cursor · z/Z zoom · tab focus · ↑/↓ select · enter detail · r/R rerun · ? help · q quit"

    static func footer(_ grid: inout CellGrid, _ dashboard: Dashboard, _ layout: Layout) {
        let y = layout.footerTop
        grid.fill(x: 0, y: y, width: layout.width, height: 1, with: Cell(" ", .reverse))
        if let message = dashboard.view.message {
            grid.write(" " + message, x: 0, y: y, style: CellStyle(foreground: .yellow, bold: true, reverse: true))
        } else {
            grid.write(" " + hints, x: 0, y: y, style: .reverse)
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
        if !right.isEmpty { grid.write(" " + right + " ", x: max(title.count + 4, width - right.count - 3), y: y, style: .dim) }
    }
}

func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? String(text.prefix(width)) : text + String(repeating: " ", count: width - text.count)
}
