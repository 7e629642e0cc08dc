import FuturesModel
import FuturesTraceSchema

extension DashboardRenderer {
    /// A bordered box in the middle of the screen with `lines` in it (long
    /// lines wrapped to the box).
    static func box(_ grid: inout CellGrid, title: String, lines: [(String, CellStyle)], atBottom: Bool = false) {
        let inner = min(grid.width - 4, max(title.count + 4, lines.map(\.0.count).max() ?? 0) + 2)
        let wrapped = lines.flatMap { line in wrap(line.0, width: inner - 2).map { ($0, line.1) } }
        // Too tall for a box: the whole screen, without the border (the help at 80×24).
        if wrapped.count + 2 > grid.height {
            let full = lines.flatMap { line in wrap(line.0, width: grid.width - 2).map { ($0, line.1) } }
            grid.fill(x: 0, y: 0, width: grid.width, height: grid.height, with: Cell(" "))
            grid.write(" \(title) ", x: 0, y: 0, style: CellStyle(foreground: .cyan, bold: true, reverse: true))
            for (row, line) in full.prefix(grid.height - 1).enumerated() {
                let cut = row == grid.height - 2 && full.count > grid.height - 1
                grid.write(cut ? "… (more than fits)" : line.0, x: 1, y: row + 1, style: cut ? .dim : line.1, limit: grid.width - 2)
            }
            return
        }
        let height = min(grid.height - 2, wrapped.count + 2)
        let x = max(0, (grid.width - inner - 2) / 2)
        // At the bottom: above the footer, so the timeline above stays in sight.
        let y = atBottom ? max(0, grid.height - 1 - height) : max(0, (grid.height - height) / 2)
        grid.fill(x: x, y: y, width: inner + 2, height: height, with: Cell(" "))
        grid.write("╭" + String(repeating: "─", count: inner) + "╮", x: x, y: y, style: .colored(.cyan))
        grid.write(" \(title) ", x: x + 2, y: y, style: .colored(.cyan, bold: true))
        for row in 1..<max(1, height - 1) {
            grid.write("│", x: x, y: y + row, style: .colored(.cyan))
            grid.write("│", x: x + inner + 1, y: y + row, style: .colored(.cyan))
            var (text, style) = wrapped[row - 1]
            // A box too short for its lines says so on its last line.
            if row == height - 2, wrapped.count > height - 2 { (text, style) = ("… (more than fits)", .dim) }
            grid.write(text, x: x + 2, y: y + row, style: style, limit: inner - 2)
        }
        grid.write("╰" + String(repeating: "─", count: inner) + "╯", x: x, y: y + height - 1, style: .colored(.cyan))
    }

    static func help(_ grid: inout CellGrid, _ dashboard: Dashboard) {
        let keyWidth = Keymap.help.map(\.keys.count).max() ?? 5
        var lines: [(String, CellStyle)] = Keymap.help.map { (pad($0.keys, keyWidth) + "   " + $0.action, .plain) }
        if grid.height >= 30 { lines.append(("", .plain)) }
        let kinds = LaneModel.SegmentKind.allCases.filter { $0 != .idle }.map(\.legend) + [LaneLegend.turns]
        lines.append(("lanes: " + kinds.map { "\($0.glyph) \($0.word)" }.joined(separator: "  "), .dim))
        lines.append(("marks: " + LaneModel.Mark.Kind.allCases.map { "\($0.legend.glyph) \($0.legend.word)" }.joined(separator: "  "), .dim))
        lines.append(("futures: ○ pending ▶ running ✔ finished ✘ raised ⊘ cancelled  ! in a deadlock", .dim))
        lines.append(("the run is paused while this is open · esc or ? closes it", .dim))
        box(&grid, title: "Keys", lines: lines)
    }

    static func detail(_ grid: inout CellGrid, _ dashboard: Dashboard, _ id: UInt64) {
        let model = dashboard.model
        guard let future = model.future(id) else { return }
        let (stateText, stateStyle) = stateGlyph(future.state)
        let executor = future.executor.map { model.laneModel.executorName($0) == $0 ? $0 : "\(model.laneModel.executorName($0)) (\($0))" }
        var lines: [(String, CellStyle)] = [
            ("label      \(future.label)", .bold),
            ("state      \(stateText)", stateStyle),
            ("executor   \(executor ?? "—")", .plain),
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
        case .raised: lines.append(("error      " + RunModel.errorLine(type: future.type, exception: future.exception), .colored(.red)))
        default: break
        }
        let waiters = model.waiters[id] ?? []
        lines.append(("waited on by \(waiters.isEmpty ? "nobody now" : waiters.joined(separator: ", "))", waiters.isEmpty ? .dim : .colored(.yellow)))
        for deadlock in model.deadlocks where deadlock.blocked.contains(where: { waiters.contains($0.thread) || $0.thread == future.worker }) {
            lines.append(("in the deadlock: " + (deadlock.explanation.first ?? deadlock.cycle.joined(separator: " → ")), .colored(.red, bold: true)))
        }
        lines.append(("esc closes", .dim))
        box(&grid, title: "Future \(id)", lines: lines)
    }

    /// A thread: its group, what it does now, the locks it holds, how its
    /// time so far divides among the kinds, the tasks it ran, its deadlock.
    static func threadDetail(_ grid: inout CellGrid, _ dashboard: Dashboard, _ name: String) {
        let model = dashboard.model
        guard let lane = model.laneModel.lane(name) else { return }
        var lines: [(String, CellStyle)] = [("group    \(model.laneModel.heading(of: lane.group))", .plain)]
        if let now = model.laneModel.now(of: name) {
            var text = now.kind.legend.word
            if let object = now.object { text += " (\(object))" } else if let future = now.future { text += " (\(model.label(of: future)))" }
            lines.append(("now      \(text)", .bold))
        }
        let holds = model.objects.held(by: name)
        lines.append(("holds    \(holds.isEmpty ? "nothing" : holds.joined(separator: ", "))", holds.isEmpty ? .dim : .colored(.yellow)))
        var totals: [LaneModel.SegmentKind: UInt64] = [:]
        for segment in lane.segments where segment.kind != .idle {
            let end = segment.end ?? dashboard.shownTime
            totals[segment.kind, default: 0] += end - min(end, segment.start)
        }
        let time = LaneModel.SegmentKind.allCases.compactMap { kind in totals[kind].map { "\(kind.legend.word) \(seconds($0)) s" } }
        lines.append(("time     " + (time.isEmpty ? "idle so far" : time.joined(separator: " · ")), .plain))
        let tasks = model.futures.filter { $0.worker == name }
        if !tasks.isEmpty {
            let shown = tasks.prefix(6).map(\.label).joined(separator: ", ") + (tasks.count > 6 ? ", …" : "")
            lines.append(("tasks    \(tasks.count): \(shown)", .plain))
        }
        for deadlock in model.deadlocks where deadlock.blocked.contains(where: { $0.thread == name }) || deadlock.cycle.contains(name) {
            lines.append(("deadlock " + (deadlock.explanation.first ?? deadlock.cycle.joined(separator: " → ")), .colored(.red, bold: true)))
        }
        lines.append(("esc closes", .dim))
        box(&grid, title: "Thread \(name)", lines: lines)
    }

    /// A question to the class: its choices (the prediction marked), then,
    /// revealed, the run's answer, whether the prediction was right, and the
    /// explanation.
    static func question(_ grid: inout CellGrid, _ dashboard: Dashboard, _ index: Int) {
        guard let question = dashboard.question(at: index) else { return }
        let view = dashboard.view
        var lines: [(String, CellStyle)] = [(question.text, .bold), ("", .plain)]
        for (offset, choice) in question.choices.enumerated() {
            let number = offset + 1
            let picked = view.prediction == number
            var style: CellStyle = picked ? CellStyle(foreground: .cyan, bold: true) : .plain
            var mark = picked ? "› " : "  "
            if view.revealed, question.rightChoice == number {
                style = .colored(.green, bold: true)
                mark = "✔ "
            }
            lines.append(("\(mark)\(number). \(choice)", style))
        }
        if question.choices.isEmpty {
            lines.append((view.prediction == 0 ? "› the class has its prediction" : "  (an open question: enter when the class has its prediction)",
                          view.prediction == 0 ? .colored(.cyan, bold: true) : .dim))
        }
        lines.append(("", .plain))
        if view.revealed {
            lines.append(("The run's answer: " + question.answer, .colored(.green, bold: true)))
            if let prediction = view.prediction, prediction > 0 {
                lines.append(question.rightChoice == prediction
                    ? ("✔ the prediction (\(prediction)) was right", .colored(.green, bold: true))
                    : ("✘ the prediction was \(prediction); the run says \(question.rightChoice.map(String.init) ?? question.answer)", .colored(.red, bold: true)))
            }
            if let explain = question.explain { lines.append((explain, .plain)) }
            lines.append(("space plays on · esc closes", .dim))
        } else {
            lines.append((question.choices.isEmpty ? "enter: lock the prediction · space: reveal the run's answer"
                                                    : "1–\(question.choices.count): predict · space: reveal the run's answer", .dim))
        }
        box(&grid, title: "Question", lines: lines)
    }

    /// The knob panel: each parameter, its value for the next run, what it changes.
    static func knobs(_ grid: inout CellGrid, _ dashboard: Dashboard) {
        let knobs = dashboard.view.knobs
        let nameWidth = knobs.map(\.name.count).max() ?? 4
        var lines: [(String, CellStyle)] = []
        for (index, knob) in knobs.enumerated() {
            let picked = index == dashboard.view.selectedKnob
            lines.append(((picked ? "› " : "  ") + pad(knob.name, nameWidth) + "  ◀ " + knob.text + " ▶", picked ? CellStyle(foreground: .cyan, bold: true) : .plain))
            if !knob.doc.isEmpty { lines.append(("    " + knob.doc, .dim)) }
        }
        let now = dashboard.playback.header?.params.map { "\($0.name)=\($0.json)" }.joined(separator: " ") ?? ""
        lines.append(("", .plain))
        if !now.isEmpty { lines.append(("this run: " + now, .dim)) }
        lines.append(("↑↓ pick · ←→ change · enter reruns with these · esc closes", .dim))
        box(&grid, title: "Knobs", lines: lines)
    }

    /// An object's state, its waiters, and who did what to it, latest last.
    static func objectDetail(_ grid: inout CellGrid, _ dashboard: Dashboard, _ name: String) {
        guard let object = dashboard.model.objects.object(name) else { return }
        var lines: [(String, CellStyle)] = [
            ("kind     \(object.kind)", .plain),
            ("state    \(object.state)", .bold),
        ]
        if let waiters = object.waitersText { lines.append((waiters, .colored(.yellow))) }
        if object.isQueue { lines.append(("most held at once: \(object.maxDepth)", .dim)) }
        lines.append(("", .plain))
        let room = max(3, grid.height - lines.count - 6)
        let history = object.history.suffix(room)
        if object.history.count > history.count { lines.append(("… \(object.history.count - history.count) earlier changes", .dim)) }
        for change in history {
            let value = change.value.map { " → \($0)" } ?? ""
            lines.append(("[+\(seconds(change.time))s] \(change.thread ?? "—") \(change.action)\(value)", .plain))
        }
        lines.append(("esc closes", .dim))
        box(&grid, title: "\(object.kind) \(name)", lines: lines)
    }
}
