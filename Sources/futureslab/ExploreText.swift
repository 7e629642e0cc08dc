import Foundation
import FuturesReport
import FuturesRunner

/// `explore`'s report as text: the exploration, then each outcome class
/// (most runs first) with what failed, what was recorded, its seeds and
/// its shortest and minimal schedules.
enum ExploreText {
    static func render(_ summary: ExploreSummary, style: ReportStyle) -> String {
        var lines: [String] = []
        let shards = summary.shards.isEmpty ? "" : " · shard\(summary.shards.count == 1 ? "" : "s") "
            + summary.shards.map(\.description).joined(separator: ", ")
        let last = summary.seedFrom + UInt64(summary.runs) - 1
        lines.append(style.paint("explore \(summary.scenario)", .bold) + " (\(summary.file)): seeds \(summary.seedFrom)…\(last), strategy \(summary.strategy)\(shards)")
        var figures = ["\(grouped(summary.completed)) run\(summary.completed == 1 ? "" : "s")",
                       "\(summary.classes.count) outcome class\(summary.classes.count == 1 ? "" : "es")",
                       "\(grouped(summary.interleavings)) distinct interleaving\(summary.interleavings == 1 ? "" : "s")"]
        if let rate = summary.runsPerSecond {
            figures.append("\(grouped(Int(rate.rounded()))) runs/s (\(String(format: "%.2f", summary.elapsedSeconds)) s)")
        }
        lines.append("  " + figures.joined(separator: " · "))
        for name in summary.recorded.keys.sorted() {
            let values = summary.recorded[name]!.sorted { (Double($0.key) ?? 0, $0.key) < (Double($1.key) ?? 0, $1.key) }
            lines.append("  \(name): " + values.map { "\($0.key) ×\(grouped($0.value))" }.joined(separator: ", "))
        }
        for (number, outcomeClass) in summary.classes.enumerated() {
            lines.append("")
            lines += describe(outcomeClass, number: number + 1, of: summary, style: style)
        }
        for crash in summary.crashes {
            lines.append("")
            lines.append(style.paint("  ✗ seed \(crash.seed) crashed: \(crash.reason)", .red))
        }
        lines.append("")
        let failed = summary.classes.filter { !$0.outcome.passed }.reduce(0) { $0 + $1.count }
        if summary.passed {
            lines.append(style.paint("✓ every expectation held in all \(grouped(summary.completed)) runs", .green))
        } else {
            var parts: [String] = []
            if failed > 0 { parts.append("\(grouped(failed)) of \(grouped(summary.completed)) runs failed") }
            if !summary.crashes.isEmpty { parts.append("\(summary.crashes.count) seed\(summary.crashes.count == 1 ? "" : "s") crashed their worker") }
            lines.append(style.paint("✗ " + parts.joined(separator: "; "), .red))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func describe(_ outcomeClass: ExploreSummary.OutcomeClass, number: Int, of summary: ExploreSummary,
                                 style: ReportStyle) -> [String] {
        let outcome = outcomeClass.outcome
        let share = summary.completed == 0 ? 0 : Double(outcomeClass.count) * 100 / Double(summary.completed)
        let verdict = outcome.passed ? style.paint("✓ every expectation held", .green) : style.paint("✗ failed", .red)
        var lines = ["  \(number). \(grouped(outcomeClass.count)) run\(outcomeClass.count == 1 ? "" : "s") (\(String(format: "%.1f", share)) %) \(verdict)"]
        for check in outcome.expectations where !check.passed {
            lines.append("       " + style.paint("✗ " + check.text, .red))
        }
        if outcome.deadlock { lines.append("       deadlocked") }
        if let error = outcome.error { lines.append("       main raised " + error) }
        if !outcome.records.isEmpty {
            lines.append("       recorded: " + outcome.records.map { "\($0.name) = \($0.value)" }.joined(separator: ", "))
        }
        let more = outcomeClass.count > outcomeClass.firstSeeds.count ? ", …" : ""
        lines.append("       seeds " + outcomeClass.firstSeeds.map(String.init).joined(separator: ", ") + more)
        lines.append("       shortest: seed \(outcomeClass.shortest.seed), \(example(outcomeClass.shortest))")
        if let minimal = outcomeClass.minimal {
            lines.append("       minimal schedule: \(example(minimal)) (from seed \(minimal.seed))")
            if let file = minimal.file {
                lines.append("       saved: \(file) — replay: futureslab run \(summary.file) --schedule \(file)")
            }
        }
        return lines
    }

    private static func example(_ example: ExploreSummary.Example) -> String {
        "\(example.preemptions) preemption\(example.preemptions == 1 ? "" : "s"), \(grouped(example.steps)) steps"
    }

    /// 12345 → "12,345".
    static func grouped(_ number: Int) -> String {
        let digits = String(abs(number))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (number < 0 ? "-" : "") + out
    }
}
