import FuturesModel

/// The timeline's rows: a heading for each executor's group of lanes
/// (`gil_threads_2 · thread pool ×2 · GIL`), then its lanes. MainThread
/// leads without a heading, and is left out while it has done nothing but
/// wait for work (a replayed program that never ran on it).
struct TimelineRows {
    enum Row { case heading(String), lane(LaneModel.Lane) }

    let rows: [Row]

    init(_ model: RunModel) {
        var rows: [Row] = []
        var group: String?
        for lane in model.lanes {
            if lane.group != group {
                group = lane.group
                if lane.group != "main" { rows.append(.heading(model.laneModel.heading(of: lane.group))) }
            }
            rows.append(.lane(lane))
        }
        self.rows = rows
    }
}
