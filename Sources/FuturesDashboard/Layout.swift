/// Where each pane goes for a screen size. Rows are given top to bottom; a
/// pane with zero rows is left out.
struct Layout: Equatable {
    static let minimumWidth = 60
    static let minimumHeight = 16

    var width: Int
    var height: Int
    /// Title, status line, deadlock banner (or blank).
    var headerRows = 3
    var timelineTop = 3
    /// Lane rows (the axis takes two more rows above them).
    var laneRows = 0
    var futuresTop = 0
    var futureRows = 0
    var narrationTop = 0
    var logTop = 0
    var logRows = 0
    var footerTop = 0
    /// Width of the thread-name column of the timeline.
    var nameWidth = 0

    var fits: Bool { width >= Self.minimumWidth && height >= Self.minimumHeight }

    init(width: Int, height: Int, lanes: Int, futures: Int, longestLaneName: Int) {
        self.width = width
        self.height = height
        guard fits else { return }
        nameWidth = min(max(12, longestLaneName + 1), width / 4)
        footerTop = height - 1
        // Fixed rows: header 3, timeline title + axis 2, futures title +
        // column names 2, narration 1, log title 1, footer 1.
        let free = height - 10
        laneRows = max(1, min(lanes, free * 2 / 5))
        let rest = free - laneRows
        futureRows = max(2, min(max(futures, 3), rest * 3 / 5))
        logRows = max(1, rest - futureRows)
        futuresTop = timelineTop + 2 + laneRows
        narrationTop = futuresTop + 2 + futureRows
        logTop = narrationTop + 1
    }
}
