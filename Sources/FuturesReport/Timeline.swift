import FuturesModel

/// The timeline as text: the lane model drawn column by column (as the
/// dashboard draws it), lanes under a heading per executor, a time axis,
/// and the legend of what was drawn.
public enum Timeline {
    public static func render(_ model: RunModel, style: ReportStyle) -> [String] {
        let lanes = shownLanes(model)
        guard !lanes.isEmpty else { return ["(no threads)"] }
        let end = max(model.endTime, 1)
        let width = style.timelineWidth
        let nameWidth = min(28, lanes.map(\.thread.count).max() ?? 10) + 4
        var lines: [String] = []
        let step = TimeAxis.tickStep(end: end, width: width)
        var axis = Array(repeating: Character(" "), count: width + 12)
        var ruler = Array(repeating: Character(" "), count: width)
        var tick: UInt64 = 0
        while tick <= end {
            let at = LaneModel.column(of: tick, start: 0, end: end, count: width)
            ruler[at] = "|"
            let text = Array(TimeAxis.tickLabel(tick, step: step))
            if at + text.count <= axis.count, axis[at..<at + text.count].allSatisfy({ $0 == " " }),
               at == 0 || axis[at - 1] == " " {
                axis.replaceSubrange(at..<at + text.count, with: text)
            }
            // Saturating: a run whose clock nears 2^64 ns ends the ruler, not the program.
            let (next, overflow) = tick.addingReportingOverflow(step)
            if overflow { break }
            tick = next
        }
        lines.append(pad("", nameWidth) + String(axis).trimmingTrailingSpaces())
        lines.append(pad("", nameWidth) + String(ruler))
        var drawn: [[LaneCell]] = []
        var group: String?
        for lane in lanes {
            // A heading per executor (MainThread leads without one, as on the dashboard).
            if lane.group != group {
                group = lane.group
                if lane.group != "main" { lines.append(style.paint(model.laneModel.heading(of: lane.group), .bold)) }
            }
            let cells = lane.cells(from: 0, to: end, count: width, now: model.endTime)
            drawn.append(cells)
            let characters = LaneText.render(cells, unicode: style.unicode) { model.label(of: $0) }
            var text = ""
            var index = 0
            while index < characters.count {
                let color = characters[index].color
                var run = ""
                while index < characters.count, characters[index].color == color {
                    run.append(characters[index].character)
                    index += 1
                }
                text += style.paint(run, ReportStyle.Color(color))
            }
            lines.append(pad("  " + lane.thread, nameWidth) + text.trimmingTrailingSpaces())
        }
        lines.append(pad("", nameWidth) + legend(LaneLegend.entries(drawn: drawn), style: style))
        return lines
    }

    /// The lanes a timeline draws: every thread but an idle MainThread.
    static func shownLanes(_ model: RunModel) -> [LaneModel.Lane] {
        model.lanes.filter { lane in lane.thread != "MainThread" || lane.segments.contains { $0.kind != .idle } }
    }

    static func legend(_ entries: [LegendEntry], style: ReportStyle) -> String {
        entries.map { style.paint(String(style.unicode ? $0.glyph : $0.ascii), ReportStyle.Color($0.color)) + " " + $0.word }
            .joined(separator: "   ")
    }
}

extension ReportStyle.Color {
    /// The terminal colour of a legend colour.
    init(_ color: LegendEntry.Color) {
        self = switch color {
        case .blue: .blue
        case .magenta: .magenta
        case .yellow: .yellow
        case .cyan: .cyan
        case .green: .green
        case .gray, .normal: .dim
        case .red: .red
        }
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}
