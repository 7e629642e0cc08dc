import Dispatch
import Foundation
import FuturesCore
import FuturesTrace
#if canImport(FoundationNetworking)
import FoundationNetworking
import FuturesTraceSchema
#endif

/// A blocking HTTP GET, as Fluent Python's `download_one` does it with
/// `httpx.get`: the calling thread waits for the answer (or the timeout).
///
/// The client is URLSession (FoundationNetworking, over libcurl on Linux):
/// it comes with the toolchain — no package to build in CI — and the
/// experiment is threads blocked on I/O, which a synchronous call on the
/// worker's own thread is. AsyncHTTPClient was rejected: its event-loop
/// design would need the same blocking bridge, and it adds minutes to every
/// clean build.
public enum HTTPDownload {
    /// What `download_one` reports.
    public enum Status: String, Sendable {
        case ok
        case notFound = "not found"
        case error
    }

    public struct Outcome: Sendable {
        public var status: Status
        /// The HTTP status code, when an answer came.
        public var code: Int?
        /// Bytes received (and saved, for `ok`).
        public var bytes: Int
        /// For `error`: what went wrong, in words.
        public var detail: String?
        /// The answer's header fields (none when no answer came).
        public var headers: [String: String] = [:]

        /// A header field by name, case-insensitively as HTTP's are.
        public func header(_ name: String) -> String? {
            headers.first { $0.key.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
    }

    /// One session for the process: connections to the same host are reused,
    /// and up to 512 at once (URLSession's default of a handful per host would
    /// make a pool of 100 threads wait for each other).
    private static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = 512
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        return URLSession(configuration: configuration)
    }()

    /// GETs `url`, waiting up to `timeout`. 200 is `ok` (the body written to
    /// `saveTo` if given), 404 `not found`, any other answer or failure
    /// `error`. Traced as I/O on the calling thread.
    public static func get(_ url: String, timeout: Duration, saveTo path: String? = nil) -> Outcome {
        guard let target = URL(string: url), target.host == "127.0.0.1" || target.host == "localhost" else {
            return Outcome(status: .error, code: nil, bytes: 0, detail: "only 127.0.0.1 is reachable from an experiment: \(url)")
        }
        let context = ThreadContext.current
        let reason = WaitReason.io("GET \(target.path)")
        context.trace?.record(.waitBegan(thread: context.name, reason: reason))
        defer { context.trace?.record(.waitEnded(thread: context.name, reason: reason, timedOut: false)) }

        var request = URLRequest(url: target)
        request.timeoutInterval = max(0.001, Double(timeout.clampedNanoseconds) / 1e9)
        let answer = Answer()
        let task = session.dataTask(with: request) { data, response, error in
            answer.set(data: data, response: response as? HTTPURLResponse, error: error)
        }
        task.resume()
        // A second bound, in case the session's own timeout does not fire.
        if answer.done.wait(timeout: .now() + .nanoseconds(Int(timeout.clampedNanoseconds)) + .seconds(2)) == .timedOut {
            task.cancel()
            return Outcome(status: .error, code: nil, bytes: 0, detail: "no answer within \(timeout)")
        }
        let (data, response, error) = answer.get()
        if let error { return Outcome(status: .error, code: nil, bytes: 0, detail: error.localizedDescription) }
        guard let response else { return Outcome(status: .error, code: nil, bytes: 0, detail: "not an HTTP answer") }
        let body = data ?? Data()
        var outcome = answered(response, body: body, saveTo: path)
        for (key, value) in response.allHeaderFields {
            outcome.headers[String(describing: key)] = String(describing: value)
        }
        return outcome
    }

    private static func answered(_ response: HTTPURLResponse, body: Data, saveTo path: String?) -> Outcome {
        switch response.statusCode {
        case 200:
            if let path {
                do { try body.write(to: URL(fileURLWithPath: path)) } catch {
                    return Outcome(status: .error, code: 200, bytes: body.count, detail: "could not save \(path): \(error.localizedDescription)")
                }
            }
            return Outcome(status: .ok, code: 200, bytes: body.count, detail: nil)
        case 404:
            return Outcome(status: .notFound, code: 404, bytes: body.count, detail: nil)
        default:
            return Outcome(status: .error, code: response.statusCode, bytes: body.count,
                           detail: "HTTP \(response.statusCode) \(HTTPURLResponse.localizedString(forStatusCode: response.statusCode).capitalized)")
        }
    }

    /// The completion handler's results, handed to the waiting thread.
    private final class Answer: @unchecked Sendable {
        // @unchecked: the fields are written once, under `lock`, before
        // `done` is signalled, and read under `lock` after the wait.
        let done = DispatchSemaphore(value: 0)
        private let lock = NSLock()
        private var data: Data?
        private var response: HTTPURLResponse?
        private var error: (any Error)?

        func set(data: Data?, response: HTTPURLResponse?, error: (any Error)?) {
            lock.withLock {
                self.data = data
                self.response = response
                self.error = error
            }
            done.signal()
        }

        func get() -> (Data?, HTTPURLResponse?, (any Error)?) {
            lock.withLock { (data, response, error) }
        }
    }
}
