import FuturesModel

extension DashboardRenderer {
    /// One row per named object: its name, kind and state, who waits on it,
    /// and for a queue its depth over the timeline's window as a sparkline.
    static func objects(_ grid: inout CellGrid, _ dashboard: Dashboard, _ layout: Layout) {
        guard layout.showsObjects else { return }
        let model = dashboard.model
        let view = dashboard.view
        let objects = model.objects.objects
        sectionTitle(&grid, "Objects (\(objects.count))", y: layout.objectsTop, width: layout.width, focused: view.focus == .objects,
                     right: "enter: who did what")
        let nameWidth = min(20, max(4, objects.map(\.name.count).max() ?? 4))
        let kindWidth = min(16, max(4, objects.map(\.kind.count).max() ?? 4))
        let (start, end) = window(dashboard)
        let first = max(0, min(view.selectedObject - layout.objectRows + 1, objects.count - layout.objectRows))
        for (row, object) in objects.dropFirst(first).prefix(layout.objectRows).enumerated() {
            let y = layout.objectsTop + 1 + row
            var x = 2
            grid.write(fit(object.name, nameWidth), x: x, y: y, style: .bold)
            x += nameWidth + 1
            grid.write(fit(object.kind, kindWidth), x: x, y: y, style: .dim)
            x += kindWidth + 1
            let busy = object.holder != nil || !object.waiters.isEmpty
            x = grid.write(object.state, x: x, y: y, style: busy ? .colored(.yellow) : .plain) + 1
            if object.isQueue {
                let width = min(24, max(0, layout.width - x - 2))
                if width >= 6 {
                    let line = sparkline(object, from: start, to: end, count: width, now: dashboard.shownTime)
                    grid.write(line, x: x, y: y, style: .colored(.cyan))
                    x += width + 1
                }
            }
            if let waiters = object.waitersText, x < layout.width - 4 {
                grid.write(fit(waiters, layout.width - x), x: x, y: y, style: .colored(.yellow))
            }
            if first + row == view.selectedObject, view.focus == .objects {
                grid.restyle(x: 2, y: y, width: layout.width - 2) { $0.reverse = true }
                grid.write("›", x: 0, y: y, style: .colored(.cyan, bold: true))
            }
        }
    }

    /// A queue's depth over [start, end] in `count` columns (the most it held
    /// in each), scaled to its maxsize or the most it ever held; blank after `now`.
    static func sparkline(_ object: ObjectModel.Object, from start: UInt64, to end: UInt64, count: Int, now: UInt64) -> String {
        let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        let top = max(1, max(object.limit ?? 0, object.maxDepth))
        var most = Array(repeating: -1, count: count)
        var depth = 0
        var index = 0
        // The depth going into the window.
        while index < object.depth.count, object.depth[index].time < start {
            depth = object.depth[index].depth
            index += 1
        }
        for column in 0..<count {
            let columnStart = start + UInt64(Double(end - start) * Double(column) / Double(count))
            guard columnStart <= now else { break }  // not yet happened
            let columnEnd = start + UInt64(Double(end - start) * Double(column + 1) / Double(count))
            most[column] = depth
            while index < object.depth.count, object.depth[index].time <= columnEnd {
                depth = object.depth[index].depth
                most[column] = max(most[column], depth)
                index += 1
            }
        }
        return String(most.map { value in value <= 0 ? " " : levels[min(7, (value * 8 - 1) / top)] })
    }
}
