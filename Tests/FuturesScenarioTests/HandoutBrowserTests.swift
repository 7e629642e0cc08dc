import Foundation
import Testing

/// The HTML handout in a real browser: headless Chromium (Debian's
/// `chromium`; `.ci/run` installs it) renders loiter_map's handout to a PNG
/// and dumps its DOM; the page must have its timeline, its question with the
/// answer folded, fetch nothing, and log no console error.
@Suite("The HTML handout in headless Chromium", .serialized)
struct HandoutBrowserTests {
    static var chromium: String? {
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for directory in ["/usr/bin", "/usr/local/bin", "/snap/bin"] where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
                return "\(directory)/\(name)"
            }
        }
        return nil
    }

    /// Runs `executable` with `arguments`, killing it after `seconds`; its
    /// output goes through files (a browser writes a lot to stderr).
    static func run(_ executable: String, _ arguments: [String], seconds: Double = 90) throws -> (status: Int32, stdout: String, stderr: String) {
        let directory = FileManager.default.temporaryDirectory
        let outPath = directory.appendingPathComponent("browser-\(UUID().uuidString).out").path
        let errPath = directory.appendingPathComponent("browser-\(UUID().uuidString).err").path
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        defer {
            try? FileManager.default.removeItem(atPath: outPath)
            try? FileManager.default.removeItem(atPath: errPath)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle(forWritingAtPath: outPath)
        process.standardError = FileHandle(forWritingAtPath: errPath)
        try process.run()
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(50_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let stdout = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return (process.terminationStatus, stdout, stderr)
    }

    @Test("loiter_map's handout renders with its timeline and no console error; it is one file that fetches nothing")
    func renders() throws {
        let browser = try #require(Self.chromium, "headless Chromium is needed (apt-get install chromium; .ci/run installs it)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("handout-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let trace = directory.appendingPathComponent("loiter.jsonl").path
        let html = directory.appendingPathComponent("lesson.html").path
        let png = directory.appendingPathComponent("lesson.png").path
        #expect(try CommandLineTests.futureslab("run", "scenarios/loiter_map.yaml", "--headless", "--trace", trace).status == 0)
        #expect(try CommandLineTests.futureslab("export", trace, "--format", "html", "-o", html).status == 0)

        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        for part in ["<svg", "class=\"timeline-svg\"", "<details><summary>Answer</summary>", "at 5 s", "loiter(4)", "@media print", "size: A4"] {
            #expect(page.contains(part), "the handout lacks \(part)")
        }
        for fetch in ["src=", "href=", "@import", "url("] { #expect(!page.contains(fetch), "the handout fetches something: \(fetch)") }

        let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--enable-logging=stderr", "--v=0",
                     "--user-data-dir=\(directory.path)/profile"]
        let shot = try Self.run(browser, flags + ["--window-size=1240,1754", "--screenshot=\(png)", "file://\(html)"])
        let console = shot.stderr.split(separator: "\n").filter { $0.contains("CONSOLE(") || $0.contains("Uncaught") }
        #expect(console.isEmpty, "console messages: \(console)")
        let image = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(image.starts(with: [0x89, 0x50, 0x4E, 0x47]), "not a PNG")
        // IHDR: width and height, big-endian, at bytes 16–23.
        let bytes = [UInt8](image)
        let width = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }, height = bytes[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 1240 && height == 1754)
        #expect(image.count > 30_000, "a page with a timeline, not a blank one (\(image.count) bytes)")

        let dom = try Self.run(browser, flags + ["--dump-dom", "file://\(html)"])
        #expect(dom.stdout.contains("timeline-svg") && dom.stdout.contains("class=\"sleep\""), "the rendered DOM has the timeline's segments")
        #expect(dom.stdout.contains("ThreadPoolExecutor-0_2"))
    }
}
