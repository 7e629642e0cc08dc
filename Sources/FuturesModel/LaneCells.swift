import FuturesTraceSchema

/// One column of a lane drawn in text: what the thread did most in that
/// stretch of time. The dashboard and the headless timeline both draw lanes
/// from these, so the two agree cell for cell.
public struct LaneCell: Sendable, Equatable {
    /// The kind that took most of the column's busy time; nil: idle throughout.
    public var kind: LaneModel.SegmentKind?
    /// The thread both ran and waited for the GIL here, each for at least a
    /// quarter of the column: it took turns.
    public var turns = false
    /// The future of the winning segment: its task, or the future it waits on.
    public var future: UInt64?
    /// The task the thread ran in the winning segment (for labels and the
    /// selected future's highlight).
    public var task: UInt64?
    /// A put, get, notify, set or wake in this column (the last one).
    public var mark: LaneModel.Mark.Kind?

    public init(kind: LaneModel.SegmentKind? = nil, turns: Bool = false, future: UInt64? = nil, task: UInt64? = nil,
                mark: LaneModel.Mark.Kind? = nil) {
        self.kind = kind
        self.turns = turns
        self.future = future
        self.task = task
        self.mark = mark
    }

    /// The legend entry the cell is drawn with (marks aside).
    public var legend: LegendEntry? {
        if turns { return LaneLegend.turns }
        return kind.map(\.legend)
    }
}

extension LaneModel {
    /// The column of `count` that `time` falls in, over [start, end]: the
    /// one mapping every text timeline and its axis use.
    public static func column(of time: UInt64, start: UInt64, end: UInt64, count: Int) -> Int {
        guard count > 0, end > start, time > start else { return 0 }
        return min(count - 1, Int(Double(time - start) / Double(end - start) * Double(count)))
    }
}

extension LaneModel.Lane {
    /// The lane over [start, end] in `count` columns; segments still open
    /// last until `now`. A column shows the busy kind that filled most of it
    /// (idle only when nothing else happened); a deadlocked wait, however
    /// short, always shows.
    static let kindIndex = KindIndex()

    /// A kind's place in `SegmentKind.allCases`, by a switch (a dictionary
    /// lookup hashed the kind for every segment of every frame).
    struct KindIndex: Sendable {
        subscript(kind: LaneModel.SegmentKind) -> Int? {
            switch kind {
            case .running: 0
            case .gilWait: 1
            case .lockWait: 2
            case .queueWait: 3
            case .futureWait: 4
            case .sleep: 5
            case .io: 6
            case .selectWait: 7
            case .idle: 8
            case .deadlocked: 9
            }
        }
    }
    static let markPriority: [LaneModel.Mark.Kind] = [.wake, .put, .get, .set, .notify]

    public func cells(from start: UInt64, to end: UInt64, count: Int, now: UInt64) -> [LaneCell] {
        guard count > 0, end > start else { return Array(repeating: LaneCell(), count: max(0, count)) }
        let kinds = LaneModel.SegmentKind.allCases
        let kindIndex = LaneModel.Lane.kindIndex
        let width = Double(end - start) / Double(count)
        // Time per column and kind, one flat array (a frame draws many lanes).
        var time = [Double](repeating: 0, count: count * kinds.count)
        var longest = Array(repeating: (length: -1.0, future: UInt64?.none, task: UInt64?.none), count: count)
        var deadlocked = Array(repeating: false, count: count)
        var index = segmentIndex(at: start) ?? 0
        while index < segments.count {
            // A whole block inside one column: its totals, not its segments
            // (the same sums: times are whole nanoseconds, exact in a Double).
            if index % Block.size == 0, index / Block.size < blocks.count {
                let block = blocks[index / Block.size]
                let column = LaneModel.column(of: block.start, start: start, end: end, count: count)
                // Its column's bounds as the segment walk below computes them.
                let columnStart = Double(start) + Double(column) * width
                if !block.hasDeadlocked, block.start >= start, block.end <= end, block.end > block.start,
                   LaneModel.column(of: block.end, start: start, end: end, count: count) == column,
                   Double(block.start) >= columnStart, Double(block.end) <= columnStart + width {
                    for position in kinds.indices where block.time[position] > 0 {
                        time[column * kinds.count + position] += Double(block.time[position])
                    }
                    if block.longest.length > 0, Double(block.longest.length) > longest[column].length {
                        longest[column] = (Double(block.longest.length), block.longest.future, block.longest.task)
                    }
                    index += Block.size
                    continue
                }
            }
            let segment = segments[index]
            index += 1
            if segment.start > end { break }
            let segmentEnd = min(segment.end ?? max(now, segment.start), end)
            guard segmentEnd >= start else { continue }
            let from = max(segment.start, start), to = max(from, segmentEnd)
            let first = LaneModel.column(of: from, start: start, end: end, count: count)
            let last = LaneModel.column(of: to, start: start, end: end, count: count)
            if segment.kind == .deadlocked {
                for column in first...last { deadlocked[column] = true }
                if longest[first].length < 0 { (longest[first].future, longest[first].task) = (segment.future, segment.task) }
            }
            guard to > from else { continue }
            for column in first...last {
                let columnStart = Double(start) + Double(column) * width
                let overlap = min(Double(to), columnStart + width) - max(Double(from), columnStart)
                guard overlap > 0 else { continue }
                time[column * kinds.count + kindIndex[segment.kind]!] += overlap
                if segment.kind != .idle, overlap > longest[column].length { longest[column] = (overlap, segment.future, segment.task) }
            }
        }
        var cells = (0..<count).map { column -> LaneCell in
            if deadlocked[column] { return LaneCell(kind: .deadlocked, future: longest[column].future, task: longest[column].task) }
            var best: (kind: LaneModel.SegmentKind, time: Double)?
            let row = column * kinds.count
            var busy = 0.0
            for (position, kind) in kinds.enumerated() where kind != .idle && time[row + position] > 0 {
                busy += time[row + position]
                if best == nil || time[row + position] > best!.time { best = (kind, time[row + position]) }
            }
            guard let best else { return LaneCell() }
            let running = time[row + kindIndex[.running]!], waiting = time[row + kindIndex[.gilWait]!]
            let turns = (best.kind == .running || best.kind == .gilWait) && min(running, waiting) >= busy / 4
            return LaneCell(kind: best.kind, turns: turns, future: longest[column].future, task: longest[column].task)
        }
        // One mark a column: a select's wake before a put, a put before a get, …
        var markIndex = marks.partitioningIndex { $0.time >= start }
        while markIndex < marks.count, marks[markIndex].time <= end {
            let column = LaneModel.column(of: marks[markIndex].time, start: start, end: end, count: count)
            let kind = marks[markIndex].kind
            if cells[column].mark.map({ Self.markPriority.firstIndex(of: kind)! < Self.markPriority.firstIndex(of: $0)! }) ?? true {
                cells[column].mark = kind
            }
            markIndex += 1
        }
        return cells
    }
}

/// A lane's columns as characters: each cell's glyph, marks over them, and
/// each task's label written over its run of columns (whole where it fits,
/// else cut with an ellipsis, so that runs side by side stay apart). The
/// dashboard and the headless timeline both write these characters.
public struct LaneText: Sendable {
    public struct Character: Sendable, Equatable {
        public var character: Swift.Character
        public var color: LegendEntry.Color
        /// Part of a task's label (drawn reversed on its run's colour).
        public var isLabel: Bool
        /// The task the column belongs to.
        public var task: UInt64?
    }

    public static func render(_ cells: [LaneCell], unicode: Bool, label: (UInt64) -> String?) -> [Character] {
        var text = cells.map { cell -> Character in
            if let mark = cell.mark {
                let entry = mark.legend
                return Character(character: unicode ? entry.glyph : entry.ascii, color: entry.color, isLabel: false, task: cell.task)
            }
            guard let entry = cell.legend else { return Character(character: " ", color: .normal, isLabel: false, task: nil) }
            return Character(character: unicode ? entry.glyph : entry.ascii, color: entry.color, isLabel: false, task: cell.task)
        }
        // Runs of one task's columns get its label (columns where it took turns
        // for the GIL, deadlocked or marked keep their glyph: they are the story there).
        var column = 0
        while column < cells.count {
            guard let future = cells[column].task, Self.isTask(cells[column]) else { column += 1; continue }
            var end = column + 1
            while end < cells.count, cells[end].task == future, Self.isTask(cells[end]) { end += 1 }
            let room = end - column
            if let name = label(future), room >= 2 {
                let shown = name.count <= room ? Array(name) : Array(name.prefix(room - 1)) + [unicode ? "…" : "~"]
                for (offset, character) in shown.enumerated() {
                    text[column + offset].character = character
                    text[column + offset].isLabel = true
                }
            }
            column = end
        }
        return text
    }

    static func isTask(_ cell: LaneCell) -> Bool {
        cell.mark == nil && cell.kind != nil && cell.kind != .deadlocked && !cell.turns
    }
}

extension LaneModel {
    /// A group's heading row: `gil_threads_2 · thread pool ×2 · GIL`.
    public func heading(of group: String) -> String {
        if let info = executorInfo(named: group) {
            return "\(info.name) · \(info.kind == "process" || info.kind == "mp_pool" ? "process pool" : "thread pool") ×\(info.maxWorkers)" + (info.gil ? " · GIL" : "")
        }
        if let variant = LaneModel.variant(of: group) {
            if group == variant + "/main" { return variant + " · MainThread" }
            if group == variant + "/threads" { return variant + " · threads" }
        }
        return group
    }
}

extension Array {
    /// The first index whose element satisfies `belongs`, for a predicate
    /// false then true along the array (binary search); `count` if none.
    func partitioningIndex(where belongs: (Element) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if belongs(self[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }
}
