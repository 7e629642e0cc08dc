import FuturesModel
import FuturesTraceSchema

/// A lesson's handout: one self-contained HTML file (inline CSS and SVG, no
/// script, nothing fetched) with the title and description, the timeline
/// (the SVG drawn from the lane model, with its legend), the futures, the log
/// with the narration, the questions with their answers folded away, the
/// deadlock explained, the objects and the expectations. A print stylesheet
/// lays it out on A4.
public enum HTMLHandout {
    public static func render(_ model: RunModel) -> String {
        let title = model.header.map { $0.title ?? $0.program } ?? "run"
        var body = heading(model, title: title)
        body.append("<section class=\"timeline\"><h2>Timeline</h2>")
        body.append(timeline(model))
        body.append("</section>")
        body += sections(model)
        return page(title: title, body: body, program: model.header?.program)
    }

    /// Runs side by side (variants, or traces of two scenarios): the runs
    /// stacked on one timeline, each compared with the first, then each run's
    /// questions, futures, log and expectations.
    public static func render(runs: [(name: String, header: TraceHeader?, events: [TraceEvent])]) -> String {
        guard runs.count > 1, let first = runs.first else {
            return render(RunModel(header: runs.first?.header, events: runs.first?.events ?? []))
        }
        let stacked = StackedRuns.merge(runs.map { StackedRuns.Run(name: $0.name, header: $0.header, events: $0.events) })
        let merged = RunModel(header: stacked.header, events: stacked.events)
        let title = stacked.header.title ?? runs.map(\.name).joined(separator: " vs ")
        // The facts of the whole: the first run's runtime and seed, the stacked runs' end; the parameters are each run's own.
        var facts = first.header
        facts?.params = []
        var body = heading(RunModel(header: facts, events: stacked.events), title: title)
        body.append("<section class=\"timeline\"><h2>Timeline (the runs stacked, on one time axis)</h2>")
        body.append(timeline(merged))
        body.append("</section>")
        let models = runs.map { RunModel(header: $0.header, events: $0.events) }
        for (index, other) in models.enumerated().dropFirst() {
            let comparison = RunComparison(models[0], named: first.name, other, named: runs[index].name)
            body.append("<section class=\"comparison\"><h2>\(escape(first.name)) (A) against \(escape(runs[index].name)) (B)</h2><pre>")
            body.append(escape(comparison.text(style: ReportStyle(color: false))))
            body.append("</pre></section>")
        }
        for (index, model) in models.enumerated() {
            body.append("<section class=\"run\"><h2 class=\"run-title\">Run: \(escape(runs[index].name))</h2>")
            body += sections(model).map { $0.replacing("<h2>", with: "<h3>").replacing("</h2>", with: "</h3>") }
            body.append("</section>")
        }
        return page(title: title, body: body, program: models[0].header?.program)
    }

    static func timeline(_ model: RunModel) -> String {
        SVGTimeline.render(model).replacing("<svg xmlns", with: "<svg role=\"img\" aria-label=\"timeline\" class=\"timeline-svg\" xmlns")
    }

    /// The title, the run's facts and the scenario's description.
    static func heading(_ model: RunModel, title: String) -> [String] {
        let header = model.header
        var body: [String] = []
        body.append("<header><h1>\(escape(title))</h1>")
        var facts = [header?.program ?? "run", "\(header?.runtime.rawValue ?? "") runtime"]
        if let seed = header?.seed { facts.append("seed \(seed)") }
        if let params = header?.params, !params.isEmpty { facts.append(params.map { "\($0.name) = \($0.json)" }.joined(separator: ", ")) }
        facts.append("ended at \(seconds(model.endTime)) s (\(header?.clock.rawValue ?? "wall") clock)")
        body.append("<p class=\"facts\">\(escape(facts.joined(separator: " · ")))</p>")
        if let description = header?.description {
            body.append("<p class=\"description\">\(escape(description).replacing("\n", with: " "))</p>")
        }
        body.append("</header>")
        return body
    }

    /// Everything after the timeline: the deadlock, the questions, the
    /// futures, the log, the objects, the measurements and expectations.
    static func sections(_ model: RunModel) -> [String] {
        var body: [String] = []
        for deadlock in model.deadlocks {
            body.append("<section class=\"deadlock\"><h2>Deadlock at t=\(seconds(deadlock.time)) s</h2>")
            body.append(deadlock.explanation.map { "<p>\(escape($0))</p>" }.joined())
            body.append("</section>")
        }

        if !model.questions.isEmpty {
            body.append("<section class=\"questions\"><h2>Questions</h2><ol>")
            for (time, question) in model.questions {
                var item = "<li><p class=\"question\">\(escape(question.text)) <span class=\"when\">(t=\(seconds(time)) s)</span></p>"
                if !question.choices.isEmpty {
                    item += "<ol class=\"choices\">" + question.choices.map { "<li>\(escape($0))</li>" }.joined() + "</ol>"
                }
                item += "<details><summary>Answer</summary><p class=\"answer\">\(escape(question.answer))"
                if let right = question.rightChoice { item += " (choice \(right))" }
                item += "</p>"
                if let explain = question.explain { item += "<p>\(escape(explain))</p>" }
                item += "</details></li>"
                body.append(item)
            }
            body.append("</ol></section>")
        }

        body.append("<section class=\"futures\"><h2>Futures</h2>")
        if model.futures.isEmpty {
            body.append("<p>(no futures)</p>")
        } else {
            body.append("<table><thead><tr><th>id</th><th>label</th><th>state</th><th>worker</th><th>submitted</th><th>started</th><th>finished</th><th>result / error</th></tr></thead><tbody>")
            for row in model.futures {
                let outcome = row.state == .raised ? RunModel.errorLine(type: row.type, exception: row.exception) : row.result ?? ""
                let cells = [String(row.id), row.label, row.state.rawValue, row.worker ?? "—", row.submitted.map(seconds) ?? "—",
                             row.started.map(seconds) ?? "—", row.finished.map(seconds) ?? "—", outcome]
                body.append("<tr class=\"\(row.state.rawValue)\">" + cells.map { "<td>\(escape($0))</td>" }.joined() + "</tr>")
            }
            body.append("</tbody></table>")
        }
        body.append("</section>")

        body.append("<section class=\"log\"><h2>Log</h2><pre>")
        for line in model.log {
            let text = "[+\(seconds(line.time))s] " + (line.level == "note" ? "▸ " : "") + line.message
            body.append(line.level == "note" ? "<span class=\"note\">\(escape(text))</span>" : escape(text))
        }
        body.append("</pre></section>")

        if !model.objects.objects.isEmpty {
            body.append("<section class=\"objects\"><h2>Objects</h2><table><thead><tr><th>name</th><th>kind</th><th>at the end</th></tr></thead><tbody>")
            for object in model.objects.objects {
                let state = object.state + (object.isQueue ? " · held at most \(object.maxDepth)" : "")
                body.append("<tr><td>\(escape(object.name))</td><td>\(escape(object.kind))</td><td>\(escape(state))</td></tr>")
            }
            body.append("</tbody></table></section>")
        }

        if !model.measurements.isEmpty || !model.expectations.isEmpty {
            body.append("<section class=\"results\"><h2>Measurements and expectations</h2><ul>")
            for (name, value) in model.measurements { body.append("<li><code>\(escape(name))</code> = \(HeadlessReport.format(value))</li>") }
            for (text, passed) in model.expectations {
                body.append("<li class=\"\(passed ? "pass" : "fail")\">\(passed ? "✔" : "✘") \(escape(text))</li>")
            }
            body.append("</ul></section>")
        }
        return body
    }

    static func page(title: String, body: [String], program: String?) -> String {
        var body = body
        body.append("<footer>Made with FuturesLab from a trace of <code>\(escape(program ?? "a run"))</code>.</footer>")
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title))</title>
            <style>
            \(stylesheet)
            </style>
            </head>
            <body>
            \(body.joined(separator: "\n"))
            </body>
            </html>

            """
    }

    /// Screen and print (A4) in one sheet: nothing to fetch.
    static let stylesheet = """
        body { font: 15px/1.45 Helvetica, Arial, sans-serif; color: #222; max-width: 1100px; margin: 2em auto; padding: 0 1em; }
        h1 { font-size: 1.6em; margin-bottom: 0.2em; }
        h3 { font-size: 1.05em; margin-top: 1.2em; }
        .run-title { margin-top: 2.4em; }
        h2 { font-size: 1.15em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 1.6em; }
        .facts { color: #666; margin-top: 0; }
        .timeline-svg { max-width: 100%; height: auto; }
        table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
        th, td { text-align: left; padding: 0.2em 0.6em; border-bottom: 1px solid #eee; vertical-align: top; }
        tr.raised td { color: #c00; }
        tr.cancelled td { color: #a0a; }
        pre { font-size: 0.85em; background: #f7f7f7; padding: 0.8em; overflow-x: auto; white-space: pre-wrap; }
        .note { color: #a03ab4; font-weight: bold; }
        .deadlock { border-left: 4px solid #d62728; padding-left: 1em; }
        .deadlock p { color: #a00; }
        .question { font-weight: bold; margin-bottom: 0.2em; }
        .when { color: #888; font-weight: normal; }
        details { margin: 0.3em 0 1em; }
        summary { cursor: pointer; color: #3b7dd8; }
        .answer { font-weight: bold; color: #3a9d4a; }
        li.pass { color: #3a9d4a; } li.fail { color: #c00; }
        footer { margin-top: 3em; color: #999; font-size: 0.8em; }
        @page { size: A4; margin: 15mm; }
        @media print {
          body { max-width: none; margin: 0; font-size: 10.5pt; }
          h2 { break-after: avoid; }
          section.timeline, tr, li, .deadlock { break-inside: avoid; }
          details > *:not(summary) { display: block; }
          summary { color: #222; }
          pre { background: none; border: 1px solid #ddd; }
        }
        """

    static func escape(_ text: String) -> String { SVGTimeline.escape(text) }
}
