import ArgumentParser
import FuturesDashboard

/// How the dashboard starts playing: a teacher opens a lesson paused at t=0,
/// or slowed down, and drives it from there.
struct PlaybackOptions: ParsableArguments {
    @Flag(help: "Open the dashboard paused at t=0 (space plays, s steps).")
    var paused = false

    @Flag(help: "Play through the scenario's questions (ask steps) without pausing on them.")
    var noQuestions = false

    @Option(help: "The dashboard's playing speed: one of 0.25, 0.5, 1, 2, 4, 8, 16 (default 1; +/- change it).")
    var speed: Double?

    func validate() throws {
        if let speed, !ViewState.speeds.contains(speed) {
            throw ValidationError("--speed must be one of \(Self.speedList), not \(speed.formatted)")
        }
    }

    static var speedList: String { ViewState.speeds.map(\.formatted).joined(separator: ", ") }

    /// The dashboard's first view state with these options.
    func view(color: Bool) -> ViewState {
        var view = ViewState(color: color)
        view.paused = paused
        view.asksQuestions = !noQuestions
        if let speed, let index = ViewState.speeds.firstIndex(of: speed) { view.speedIndex = index }
        return view
    }
}

private extension Double {
    /// `0.25`, `1`, `16`: as the speed list writes them.
    var formatted: String { self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String(self) }
}
