import FuturesModel
import FuturesTraceSchema

/// A printable SVG of a run's timeline: the lane model drawn exactly, segment
/// by segment (every hand-over of the GIL is its own rectangle), lanes under
/// a heading per executor, marks for puts, gets and wakes, a time axis, the
/// legend of what occurs and the deadlock explained.
public enum SVGTimeline {
    public static func render(_ model: RunModel) -> String {
        let lanes = Timeline.shownLanes(model)
        let groups = Set(lanes.map(\.group).filter { $0 != "main" }).count
        let nameWidth = 40 + 7 * (lanes.map(\.thread.count).max() ?? 10)
        let plotWidth = 800
        let laneHeight = 28
        let headingHeight = 22
        let top = 60
        let width = nameWidth + plotWidth + 20
        let legend = LaneLegend.entries(lanes: lanes)
        let legendRows = (legend.count + 3) / 4
        // The explanation wrapped to the drawing's width (about 6.5 px a character).
        let columns = max(40, (nameWidth + 800) * 10 / 65)
        let explanation = model.deadlocks.flatMap { ["DEADLOCK at t=\(seconds($0.time))s"] + $0.explanation.flatMap { wrapped($0, columns) } }
        let plotHeight = laneHeight * lanes.count + headingHeight * groups
        let height = top + plotHeight + 60 + 20 * legendRows + 18 * explanation.count
        let end = max(model.endTime, 1)
        func x(_ time: UInt64) -> Double { Double(nameWidth) + Double(time) / Double(end) * Double(plotWidth) }

        var svg: [String] = []
        svg.append(##"<svg xmlns="http://www.w3.org/2000/svg" width="\##(width)" height="\##(height)" viewBox="0 0 \##(width) \##(height)" font-family="Helvetica, Arial, sans-serif" font-size="12">"##)
        svg.append(##"<rect width="100%" height="100%" fill="white"/>"##)
        let title = model.header.map { $0.title ?? $0.program } ?? "run"
        svg.append(##"<text x="10" y="24" font-size="18" font-weight="bold">\##(escape(title))</text>"##)
        if let header = model.header {
            let seed = header.seed.map { ", seed \($0)" } ?? ""
            svg.append(##"<text x="10" y="44" fill="#555">\##(escape("\(header.program) — \(header.runtime) runtime\(seed), \(header.clock) clock"))</text>"##)
        }
        var y = top
        var group: String?
        for (index, lane) in lanes.enumerated() {
            if lane.group != group, lane.group != "main" {
                group = lane.group
                svg.append(##"<text x="10" y="\##(y + 16)" font-weight="bold">\##(escape(model.laneModel.heading(of: lane.group)))</text>"##)
                y += headingHeight
            }
            if index % 2 == 0 {
                svg.append(##"<rect x="0" y="\##(y)" width="\##(width)" height="\##(laneHeight)" fill="#f4f4f4"/>"##)
            }
            svg.append(##"<text x="22" y="\##(y + 18)">\##(escape(lane.thread))</text>"##)
            for segment in lane.segments where segment.kind != .idle {
                let from = x(segment.start)
                let to = x(segment.end ?? model.endTime)
                let entry = segment.kind.legend
                let inset = segment.kind == .running || segment.kind == .deadlocked ? 4 : 8
                var tip = entry.word
                if let future = segment.future { tip += ": " + model.label(of: future) }
                if let object = segment.object { tip += " (" + object + ")" }
                let drawn = max(to - from, segment.kind == .deadlocked ? 2 : 0)
                svg.append(##"<rect class="\##(segment.kind.rawValue)" x="\##(format(from))" y="\##(y + inset)" width="\##(format(drawn))" height="\##(laneHeight - 2 * inset)" fill="\##(entry.color.hex)"><title>\##(escape(tip))</title></rect>"##)
            }
            for mark in lane.marks {
                let mx = format(x(mark.time))
                svg.append(##"<line class="mark-\##(mark.kind.rawValue)" x1="\##(mx)" y1="\##(y + 2)" x2="\##(mx)" y2="\##(y + laneHeight - 2)" stroke="\##(mark.kind.legend.color.hex)" stroke-width="1"><title>\##(escape("\(mark.kind.legend.word) \(mark.object)"))</title></line>"##)
            }
            // Task labels where a task's span is wide enough (dark on a white
            // halo: legible on every colour of segment under it).
            for future in model.futures where future.worker == lane.thread {
                guard let started = future.started else { continue }
                let from = x(started), to = x(future.finished ?? model.endTime)
                if Double(future.label.count) * 7 + 6 <= to - from {
                    svg.append(##"<text x="\##(format(from + 3))" y="\##(y + 18)" fill="#111" stroke="white" stroke-width="3" paint-order="stroke">\##(escape(future.label))</text>"##)
                }
            }
            y += laneHeight
        }
        let axisY = top + plotHeight + 10
        svg.append(##"<line x1="\##(nameWidth)" y1="\##(axisY)" x2="\##(nameWidth + plotWidth)" y2="\##(axisY)" stroke="#333"/>"##)
        let step = TimeAxis.tickStep(end: end, width: 80)
        var tick: UInt64 = 0
        while tick <= end {
            let tx = format(x(tick))
            svg.append(##"<line x1="\##(tx)" y1="\##(axisY)" x2="\##(tx)" y2="\##(axisY + 5)" stroke="#333"/>"##)
            svg.append(##"<line x1="\##(tx)" y1="\##(top)" x2="\##(tx)" y2="\##(axisY)" stroke="#ddd" stroke-dasharray="2,3"/>"##)
            svg.append(##"<text x="\##(tx)" y="\##(axisY + 18)" text-anchor="middle">\##(TimeAxis.tickLabel(tick, step: step))</text>"##)
            // Saturating: a run whose clock nears 2^64 ns ends the ruler, not the program.
            let (next, overflow) = tick.addingReportingOverflow(step)
            if overflow { break }
            tick = next
        }
        var legendY = axisY + 40
        for (index, entry) in legend.enumerated() {
            let lx = nameWidth + (index % 4) * 200
            if index > 0, index % 4 == 0 { legendY += 20 }
            svg.append(##"<rect x="\##(lx)" y="\##(legendY - 10)" width="14" height="10" fill="\##(entry.color.hex)"/>"##)
            svg.append(##"<text x="\##(lx + 20)" y="\##(legendY)">\##(escape(entry.word))</text>"##)
        }
        for (index, line) in explanation.enumerated() {
            svg.append(##"<text x="10" y="\##(legendY + 24 + 18 * index)" fill="#c00" font-weight="\##(index == 0 ? "bold" : "normal")">\##(escape(line))</text>"##)
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    /// `text` in lines of at most `columns` characters, broken at spaces.
    static func wrapped(_ text: String, _ columns: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > columns {
                lines.append(line)
                line = "   "
            }
            line += (line.isEmpty || line == "   " ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    static func format(_ value: Double) -> String {
        String((value * 10).rounded() / 10)
    }

    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}
