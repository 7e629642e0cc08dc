import FuturesModel
import FuturesTraceSchema

/// A printable SVG of a run's timeline: the title, one lane per thread, a
/// labelled block per task, waits and sleeps shaded, a time axis, a legend.
public enum SVGTimeline {
    public static func render(_ model: RunModel) -> String {
        let lanes = model.lanes.filter { !$0.blocks.isEmpty || $0.thread != "MainThread" }
        let nameWidth = 40 + 7 * (lanes.map(\.thread.count).max() ?? 10)
        let plotWidth = 800
        let laneHeight = 28
        let top = 60
        let width = nameWidth + plotWidth + 20
        let height = top + laneHeight * lanes.count + 70
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
        for (index, lane) in lanes.enumerated() {
            let y = top + index * laneHeight
            if index % 2 == 0 {
                svg.append(##"<rect x="0" y="\##(y)" width="\##(width)" height="\##(laneHeight)" fill="#f4f4f4"/>"##)
            }
            svg.append(##"<text x="10" y="\##(y + 18)">\##(escape(lane.thread))</text>"##)
            for block in lane.blocks.sorted(by: { ($0.kind == .task ? 1 : 0) < ($1.kind == .task ? 1 : 0) }) {
                let from = x(block.start)
                let to = max(from + 2, x(block.end ?? model.endTime))
                let (fill, inset) = switch block.kind {
                case .task: ("#4a90d9", 4)
                case .wait: ("#f0c040", 10)
                case .gil: ("#d9534f", 10)
                case .hold: ("#8e6bbf", 7)
                case .sleep: ("#bbbbbb", 12)
                }
                let title = block.kind == .task ? block.label : "\(block.kind.rawValue): \(block.label)"
                svg.append(##"<rect x="\##(format(from))" y="\##(y + inset)" width="\##(format(to - from))" height="\##(laneHeight - 2 * inset)" fill="\##(fill)" rx="2"><title>\##(escape(title))</title></rect>"##)
                if block.kind == .task, Double(block.label.count) * 7 + 6 <= to - from {
                    svg.append(##"<text x="\##(format(from + 3))" y="\##(y + 18)" fill="white">\##(escape(block.label))</text>"##)
                }
            }
        }
        let axisY = top + laneHeight * lanes.count + 10
        svg.append(##"<line x1="\##(nameWidth)" y1="\##(axisY)" x2="\##(nameWidth + plotWidth)" y2="\##(axisY)" stroke="#333"/>"##)
        let step = TimeAxis.tickStep(end: end, width: 80)
        var tick: UInt64 = 0
        while tick <= end {
            let tx = format(x(tick))
            svg.append(##"<line x1="\##(tx)" y1="\##(axisY)" x2="\##(tx)" y2="\##(axisY + 5)" stroke="#333"/>"##)
            svg.append(##"<line x1="\##(tx)" y1="\##(top)" x2="\##(tx)" y2="\##(axisY)" stroke="#ddd" stroke-dasharray="2,3"/>"##)
            svg.append(##"<text x="\##(tx)" y="\##(axisY + 18)" text-anchor="middle">\##(TimeAxis.tickLabel(tick, step: step))</text>"##)
            tick += step
        }
        let legendY = axisY + 40
        for (index, (fill, text)) in [("#4a90d9", "running a task"), ("#f0c040", "waiting"), ("#d9534f", "waiting for the GIL"), ("#8e6bbf", "holding a lock"), ("#bbbbbb", "sleeping / I/O")].enumerated() {
            let lx = nameWidth + index * 160
            svg.append(##"<rect x="\##(lx)" y="\##(legendY - 10)" width="14" height="10" fill="\##(fill)"/>"##)
            svg.append(##"<text x="\##(lx + 20)" y="\##(legendY)">\##(text)</text>"##)
        }
        for deadlock in model.deadlocks {
            svg.append(##"<text x="\##(nameWidth)" y="\##(legendY + 18)" fill="#c00" font-weight="bold">\##(escape("DEADLOCK at t=\(seconds(deadlock.time))s: " + deadlock.cycle.joined(separator: " → ")))</text>"##)
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
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
