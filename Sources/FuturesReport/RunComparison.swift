import FuturesModel
import FuturesTraceSchema

/// Two runs side by side, from their models alone: each future (matched by
/// label, the k-th `loiter(1)` of one with the k-th of the other) with its
/// start and finish in each and how far they moved; the order futures
/// finished in; elapsed time, deadlock and expectations of each — what
/// `futureslab compare` prints.
public struct RunComparison: Sendable {
    public struct Row: Sendable, Equatable {
        public var label: String
        public var a: (started: UInt64?, finished: UInt64?, state: String)?
        public var b: (started: UInt64?, finished: UInt64?, state: String)?

        /// How much later (+) or earlier (−) it finished in B, in nanoseconds.
        public var finishShift: Int64? {
            guard let a = a?.finished, let b = b?.finished else { return nil }
            return Int64(bitPattern: b &- a)
        }

        public static func == (lhs: Row, rhs: Row) -> Bool {
            lhs.label == rhs.label && lhs.a?.finished == rhs.a?.finished && lhs.b?.finished == rhs.b?.finished
                && lhs.a?.started == rhs.a?.started && lhs.b?.started == rhs.b?.started
        }
    }

    public struct Side: Sendable {
        public var name: String
        public var header: TraceHeader?
        public var elapsed: UInt64
        public var deadlock: Bool
        public var completionOrder: [String]
        public var expectations: [(text: String, passed: Bool)]
        public var measurements: [(name: String, value: Double)]
    }

    public var rows: [Row] = []
    public var a: Side
    public var b: Side

    public init(_ first: RunModel, named firstName: String, _ second: RunModel, named secondName: String) {
        func side(_ model: RunModel, _ name: String) -> Side {
            Side(name: name, header: model.header, elapsed: model.endTime, deadlock: !model.deadlocks.isEmpty,
                 completionOrder: model.completionOrder.map { model.label(of: $0) }, expectations: model.expectations,
                 measurements: model.measurements)
        }
        a = side(first, firstName)
        b = side(second, secondName)
        // The k-th future of a label in one run goes with the k-th of the same label in the other.
        func keyed(_ model: RunModel) -> [(key: String, row: RunModel.FutureRow)] {
            var seen: [String: Int] = [:]
            return model.futures.map { row in
                seen[row.label, default: 0] += 1
                return (seen[row.label]! == 1 ? row.label : "\(row.label) #\(seen[row.label]!)", row)
            }
        }
        let left = keyed(first), right = keyed(second)
        let rightByKey = Dictionary(right.map { ($0.key, $0.row) }, uniquingKeysWith: { first, _ in first })
        for (key, row) in left {
            let other = rightByKey[key]
            rows.append(Row(label: key, a: (row.started, row.finished, row.state.rawValue),
                            b: other.map { ($0.started, $0.finished, $0.state.rawValue) }))
        }
        let leftKeys = Set(left.map(\.key))
        for (key, row) in right where !leftKeys.contains(key) {
            rows.append(Row(label: key, a: nil, b: (row.started, row.finished, row.state.rawValue)))
        }
    }

    /// Whether the two runs finished their futures in a different order.
    public var orderChanged: Bool { a.completionOrder != b.completionOrder }

    // MARK: - Text

    public func text(style: ReportStyle) -> String {
        var lines: [String] = []
        lines.append(style.paint("A", .bold) + ": \(describe(a))")
        lines.append(style.paint("B", .bold) + ": \(describe(b))")
        lines.append("")
        let labelWidth = max(6, rows.map(\.label.count).max() ?? 6)
        let header = "  " + pad("future", labelWidth) + "  " + ["A start", "A finish", "B start", "B finish", "finish B − A"]
            .map { padLeft($0, 12) }.joined(separator: " ")
        lines.append(style.paint(header, .bold))
        for row in rows {
            let cells = [row.a?.started, row.a?.finished, row.b?.started, row.b?.finished].map { padLeft($0.map(seconds) ?? "—", 12) }
            var shift = "—"
            if let nanoseconds = row.finishShift {
                shift = nanoseconds == 0 ? "same" : (nanoseconds > 0 ? "+" : "−") + seconds(UInt64(nanoseconds.magnitude)) + " s"
            } else if row.a == nil {
                shift = "only in B"
            } else if row.b == nil {
                shift = "only in A"
            }
            let painted = row.finishShift.map { $0 < 0 ? style.paint(padLeft(shift, 12), .green) : $0 > 0 ? style.paint(padLeft(shift, 12), .red) : padLeft(shift, 12) }
                ?? padLeft(shift, 12)
            lines.append(("  " + pad(row.label, labelWidth) + "  " + cells.joined(separator: " ") + " " + painted).trimmingTrailingSpaces())
        }
        lines.append("")
        if orderChanged {
            lines.append("Completion order changed:")
            lines.append("  A: " + a.completionOrder.joined(separator: ", "))
            lines.append("  B: " + b.completionOrder.joined(separator: ", "))
        } else {
            lines.append("Completion order: the same (" + (a.completionOrder.isEmpty ? "no futures" : a.completionOrder.joined(separator: ", ")) + ")")
        }
        let names = a.measurements.map(\.name) + b.measurements.map(\.name).filter { name in !a.measurements.contains { $0.name == name } }
        if !names.isEmpty {
            lines.append("")
            let width = names.map(\.count).max() ?? 4
            lines.append(style.paint("  " + pad("measurement", width) + "  " + ["A", "B", "B − A"].map { padLeft($0, 10) }.joined(separator: " "), .bold))
            for name in names {
                let left = a.measurements.last { $0.name == name }?.value, right = b.measurements.last { $0.name == name }?.value
                let difference = left.flatMap { l in right.map { HeadlessReport.format($0 - l) } } ?? "—"
                lines.append("  " + pad(name, width) + "  " + [left.map(HeadlessReport.format) ?? "—", right.map(HeadlessReport.format) ?? "—", difference]
                    .map { padLeft($0, 10) }.joined(separator: " "))
            }
        }
        lines.append("")
        for (name, side) in [("A", a), ("B", b)] {
            let held = side.expectations.filter(\.passed).count
            var parts = ["elapsed \(seconds(side.elapsed)) s", side.deadlock ? "DEADLOCK" : "no deadlock"]
            if !side.expectations.isEmpty { parts.append("\(held)/\(side.expectations.count) expectations hold") }
            lines.append("\(name): " + parts.joined(separator: " · "))
            for expectation in side.expectations where !expectation.passed {
                lines.append("   " + style.paint(style.fail, .red) + " " + expectation.text)
            }
        }
        let shift = Int64(bitPattern: b.elapsed &- a.elapsed)
        lines.append("B − A: elapsed " + (shift == 0 ? "the same" : (shift > 0 ? "+" : "−") + seconds(UInt64(shift.magnitude)) + " s"))
        return lines.joined(separator: "\n") + "\n"
    }

    private func describe(_ side: Side) -> String {
        guard let header = side.header else { return side.name }
        var parts = [side.name, header.program, header.runtime.rawValue]
        if let seed = header.seed { parts.append("seed \(seed)") }
        if !header.params.isEmpty { parts.append(header.params.map { "\($0.name)=\($0.json)" }.joined(separator: " ")) }
        return parts.joined(separator: " · ")
    }

    // MARK: - JSON

    public func json() -> String {
        var root = JSON.Object()
        func side(_ side: Side) -> JSON {
            var item = JSON.Object()
            item.add("trace", .string(side.name))
            item.add("scenario", .string(side.header?.program ?? ""))
            item.add("params", .object(JSON.Object(entries: (side.header?.params ?? []).map { ($0.name, .number($0.json)) })))
            item.add("elapsed", .number(TraceWriter.seconds(side.elapsed)))
            item.add("deadlock", .bool(side.deadlock))
            item.add("completion_order", .array(side.completionOrder.map { JSON.string($0) }))
            item.add("expectations", SummaryJSON.expectations(side.expectations))
            var measurements = JSON.Object()
            for (name, value) in side.measurements { measurements.add(name, .number(value.isFinite ? "\(value)" : "null")) }
            item.add("measurements", .object(measurements))
            return .object(item)
        }
        root.add("a", side(a))
        root.add("b", side(b))
        root.add("futures", .array(rows.map { row in
            var item = JSON.Object()
            item.add("label", .string(row.label))
            item.add("a_started", SummaryJSON.time(row.a?.started))
            item.add("a_finished", SummaryJSON.time(row.a?.finished))
            item.add("b_started", SummaryJSON.time(row.b?.started))
            item.add("b_finished", SummaryJSON.time(row.b?.finished))
            item.add("finish_shift", row.finishShift.map { .number(($0 < 0 ? "-" : "") + TraceWriter.seconds(UInt64($0.magnitude))) } ?? .null)
            return .object(item)
        }))
        root.add("order_changed", .bool(orderChanged))
        root.add("elapsed_shift", .number((b.elapsed < a.elapsed ? "-" : "") + TraceWriter.seconds(b.elapsed > a.elapsed ? b.elapsed - a.elapsed : a.elapsed - b.elapsed)))
        return JSON.object(root).text(indent: 0) + "\n"
    }
}
