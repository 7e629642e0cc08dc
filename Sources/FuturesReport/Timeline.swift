import FuturesModel

/// The timeline as text: one lane per thread, a time axis, a labelled block
/// per task (`loiter(3)█████`), waits and sleeps shaded.
public enum Timeline {
    public static func render(_ model: RunModel, style: ReportStyle) -> [String] {
        let lanes = model.lanes.filter { !$0.blocks.isEmpty || $0.thread != "MainThread" }
        guard !lanes.isEmpty else { return ["(no threads)"] }
        let end = max(model.endTime, 1)
        let width = style.timelineWidth
        let nameWidth = min(28, lanes.map(\.thread.count).max() ?? 10) + 2
        func column(_ time: UInt64) -> Int {
            min(width - 1, Int((Double(time) / Double(end) * Double(width - 1)).rounded(.down)))
        }
        var lines: [String] = []
        let step = TimeAxis.tickStep(end: end, width: width)
        var axis = Array(repeating: Character(" "), count: width + 12)
        var ruler = Array(repeating: Character(" "), count: width)
        var tick: UInt64 = 0
        while tick <= end {
            let at = column(tick)
            ruler[at] = "|"
            let text = Array(TimeAxis.tickLabel(tick, step: step))
            if at + text.count <= axis.count, axis[at..<at + text.count].allSatisfy({ $0 == " " }),
               at == 0 || axis[at - 1] == " " {
                axis.replaceSubrange(at..<at + text.count, with: text)
            }
            tick += step
        }
        lines.append(pad("", nameWidth) + String(axis).trimmingTrailingSpaces())
        lines.append(pad("", nameWidth) + String(ruler))
        for lane in lanes {
            var cells = Array(repeating: Character(" "), count: width)
            var kinds = Array(repeating: RunModel.Block.Kind?.none, count: width)
            // Waits and sleeps first, tasks over them, and waits for the GIL
            // over everything (they are what a GIL experiment is about).
            func layer(_ kind: RunModel.Block.Kind) -> Int {
                switch kind {
                case .hold: 0
                case .wait, .sleep: 1
                case .task: 2
                case .gil: 3
                }
            }
            for block in lane.blocks.sorted(by: { layer($0.kind) < layer($1.kind) }) {
                let from = column(block.start)
                let to = max(from, column(block.end ?? model.endTime))
                let glyph: Character = switch block.kind {
                case .task: style.taskGlyph
                case .wait: style.waitGlyph
                case .gil: style.gilGlyph
                case .hold: style.holdGlyph
                case .sleep: style.sleepGlyph
                }
                let last = to > from ? to - 1 : to
                for index in from...max(from, last) {
                    cells[index] = glyph
                    kinds[index] = block.kind
                }
                if block.kind == .task {
                    let label = Array(block.label)
                    let room = max(from, last) - from + 1
                    // The whole label where it fits, else as much as fits and
                    // an ellipsis, so that blocks side by side stay apart.
                    if label.count <= room {
                        cells.replaceSubrange(from..<from + label.count, with: label)
                    } else if room >= 2 {
                        let cut = Array(label.prefix(room - 1)) + [style.unicode ? "…" : "~"]
                        cells.replaceSubrange(from..<from + cut.count, with: cut)
                    }
                }
            }
            var text = ""
            var index = 0
            while index < width {
                var run = String(cells[index])
                let kind = kinds[index]
                index += 1
                while index < width, kinds[index] == kind { run.append(cells[index]); index += 1 }
                switch kind {
                case .task?: text += style.paint(run, .cyan)
                case .wait?: text += style.paint(run, .yellow)
                case .gil?: text += style.paint(run, .red)
                case .hold?: text += style.paint(run, .magenta)
                case .sleep?: text += style.paint(run, .dim)
                case nil: text += run
                }
            }
            lines.append(pad(lane.thread, nameWidth) + text.trimmingTrailingSpaces())
        }
        lines.append(pad("", nameWidth) + "\(style.taskGlyph) running a task (label cut to fit)   \(style.waitGlyph) waiting   \(style.sleepGlyph) sleeping / I/O" + (model.lanes.contains { $0.blocks.contains { $0.kind == .gil } } ? "   \(style.gilGlyph) waiting for the GIL" : "")
                   + (model.lanes.contains { $0.blocks.contains { $0.kind == .hold } } ? "   \(style.holdGlyph) holding a lock" : ""))
        return lines
    }

    /// A round tick interval giving at most about 8 ticks.
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}
