/// Where each pane goes for a screen size, sharing the height by need: each
/// pane asks for the rows its content fills, every pane keeps a few, the
/// timeline and the futures get theirs first, and rows nobody needs go to
/// the log. A pane with nothing to show keeps only its title line (the
/// objects pane of a run without objects is left out).
struct Layout: Equatable {
    static let minimumWidth = 60
    static let minimumHeight = 16

    /// What the panes have to show.
    struct Needs: Equatable {
        /// Timeline rows: lanes and group headings.
        var timeline: Int
        /// Of those, lanes.
        var lanes: Int
        var futures: Int
        var objects: Int
        var log: Int
        /// Log lines the whole run will have, when known (a replay, a
        /// deterministic run): rows kept for them, so the layout does not
        /// change as the run plays.
        var finalLog: Int
        /// Deadlock banner lines (already wrapped to the width).
        var banner: Int
        var narration: Bool
        var longestLaneName: Int
    }

    var width: Int
    var height: Int
    var bannerTop = 2
    var bannerRows = 0
    var timelineTop = 0
    /// Lane and heading rows (the axis is one more row above them, the legend one below).
    var laneRows = 0
    /// Screen rows a lane takes: 1, or 2–3 when every pane has what it needs
    /// and rows are left (thicker bars read better from the back of a room).
    var laneHeight = 1
    var futuresTop = 0
    var futureRows = 0
    /// Whether the futures table has a column-name row (it has futures).
    var futureHeader = false
    var objectsTop = 0
    var objectRows = 0
    var showsObjects = false
    var narrationTop = 0
    var showsNarration = false
    var logTop = 0
    var logRows = 0
    var footerTop = 0
    /// Width of the thread-name column of the timeline.
    var nameWidth = 0

    var fits: Bool { width >= Self.minimumWidth && height >= Self.minimumHeight }

    init(width: Int, height: Int, needs: Needs) {
        self.width = width
        self.height = height
        guard fits else { return }
        nameWidth = min(max(12, needs.longestLaneName + 3), width / 4)
        footerTop = height - 1
        futureHeader = needs.futures > 0
        showsObjects = needs.objects > 0
        showsNarration = needs.narration
        bannerRows = min(needs.banner, max(2, height / 5))
        // Fixed rows: title, status, banner, timeline title + axis + legend,
        // futures title (+ column names), objects title, narration, log title, footer.
        let fixed = 2 + bannerRows + 3 + 1 + (futureHeader ? 1 : 0) + (showsObjects ? 1 : 0) + (showsNarration ? 1 : 0) + 1 + 1
        var free = max(0, height - fixed)
        // Everyone's share: a few rows each, as far as the content needs them.
        var timeline = min(needs.timeline, 3, free)
        free -= timeline
        var futures = min(needs.futures, 3, free)
        free -= futures
        var objects = min(needs.objects, 2, free)
        free -= objects
        var log = min(max(1, needs.log), 3, free)
        free -= log
        // Then by need: the timeline (up to 3/5 of what is left), the futures, the objects.
        let more = min(needs.timeline - timeline, (free * 3 + 4) / 5)
        timeline += more
        free -= more
        let moreFutures = min(needs.futures - futures, (free * 4 + 4) / 5)
        futures += moreFutures
        free -= moreFutures
        let moreObjects = min(needs.objects - objects, (free * 2 + 2) / 3)
        objects += moreObjects
        free -= moreObjects
        // What is left: the timeline and futures while they still need it, then the log.
        let lastTimeline = min(needs.timeline - timeline, free / 2)
        timeline += lastTimeline
        free -= lastTimeline
        // Rows nobody needs: thicker lanes first (up to three rows each), then the log.
        let logNeed = max(1, needs.log, needs.finalLog)
        if timeline == needs.timeline, needs.lanes > 0, free + log > logNeed {
            let spare = free + log - logNeed
            laneHeight = min(3, 1 + spare / needs.lanes)
            let taken = (laneHeight - 1) * needs.lanes
            timeline += taken
            free -= taken
        }
        log += free
        laneRows = timeline
        futureRows = futures
        objectRows = objects
        logRows = log
        timelineTop = bannerTop + bannerRows
        futuresTop = timelineTop + 2 + laneRows + 1
        objectsTop = futuresTop + 1 + (futureHeader ? 1 : 0) + futureRows
        narrationTop = objectsTop + (showsObjects ? 1 + objectRows : 0)
        logTop = narrationTop + (showsNarration ? 1 : 0)
    }
}
