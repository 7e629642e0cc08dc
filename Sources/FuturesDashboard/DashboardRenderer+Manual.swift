extension DashboardRenderer {
    /// The manual scheduler: the runnable threads and what each is in, at
    /// the bottom of the screen (the lanes above show how the run got here),
    /// or what the choices came to once the run has ended.
    static func manual(_ grid: inout CellGrid, _ manual: ManualView) {
        var lines: [(String, CellStyle)] = []
        let title: String
        if let ending = manual.ending {
            title = "You were the scheduler"
            lines.append((ending, manual.found ? CellStyle(foreground: .red, bold: true) : .colored(.green, bold: true)))
            lines.append(("u goes back one choice · w writes the schedule · q quits", .dim))
        } else if manual.isWaiting, let point = manual.point {
            title = "Be the scheduler — point \(point + 1), choice \(manual.decisions + 1): who runs next?"
            if let discovery = manual.discovery { lines.append((discovery, CellStyle(foreground: .red, bold: true))) }
            let nameWidth = manual.choices.map(\.thread.count).max() ?? 4
            for (index, choice) in manual.choices.enumerated() {
                let picked = index == manual.selected
                let seed = index == manual.strategyPick ? "   (the seed's pick)" : ""
                lines.append(((picked ? "› " : "  ") + "\(index + 1)  " + pad(choice.thread, nameWidth) + "  " + choice.doing + seed,
                              picked ? CellStyle(foreground: .cyan, bold: true) : .plain))
            }
            lines.append(("1–9 or ↑↓ enter: run it · a: the seed runs to the next lock, queue or future · u: undo · w: write", .dim))
        } else {
            title = "Be the scheduler"
            lines.append(("running to the next choice…", .dim))
        }
        box(&grid, title: title, lines: lines, atBottom: true)
    }
}
