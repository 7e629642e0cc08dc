import FuturesCore
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOConcurrencyHelpers
import Synchronization

/// Fluent Python's flag server (chapter 20's LOCAL, DELAY and ERROR servers),
/// on SwiftNIO: `GET /flags/<cc>/<cc>.gif` answers the flag of a known code,
/// 404 for any other path. It binds 127.0.0.1 on a port the system picks and
/// runs until `stop()` — one event-loop thread, whatever the load: a delay is
/// a scheduled write, not a sleeping thread, so a slow server never runs out
/// of threads while the clients under test do.
public final class FlagServer: Sendable {
    public enum Mode: Sendable, Equatable, CustomStringConvertible {
        /// Answers at once.
        case local
        /// Answers after `delay`.
        case delay(Duration)
        /// Answers `rate` of the flags (chosen by the code, so the same codes
        /// fail every run) with 503 Service Unavailable, every answer after
        /// `delay`.
        case error(rate: Double, delay: Duration)

        public var description: String {
            switch self {
            case .local: "LOCAL"
            case .delay(let delay): "DELAY (\(delay.secondsText) s)"
            case .error(let rate, let delay): "ERROR (\(Int((rate * 100).rounded())) % 503s, \(delay.secondsText) s)"
            }
        }
    }

    public let mode: Mode
    /// The port on 127.0.0.1.
    public let port: Int
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    private let counts: Counts
    private let stopped = Atomic<Bool>(false)

    /// Requests answered so far, by status.
    public var answered: (ok: Int, notFound: Int, errors: Int) { counts.snapshot }

    /// `http://127.0.0.1:<port>`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Starts the server. Throws when the port cannot be bound.
    public init(mode: Mode, codes: [String] = FlagImages.knownCodes) throws {
        self.mode = mode
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let counts = Counts()
        let flags = Dictionary(uniqueKeysWithValues: codes.map { ($0.lowercased(), FlagImages.gif(for: $0)) })
        do {
            channel = try ServerBootstrap(group: group)
                .serverChannelOption(.backlog, value: 256)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    channel.pipeline.configureHTTPServerPipeline(withErrorHandling: true).flatMapThrowing {
                        try channel.pipeline.syncOperations.addHandler(FlagHandler(mode: mode, flags: flags, counts: counts))
                    }
                }
                .bind(host: "127.0.0.1", port: 0).wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw RuntimeError("the flag server could not listen on 127.0.0.1: \(error)")
        }
        self.group = group
        self.counts = counts
        port = channel.localAddress?.port ?? 0
    }

    /// Closes the listening socket and every connection, and ends the event
    /// loop's thread. Safe to call twice.
    public func stop() {
        // Once: after the group is shut down, a close would never complete.
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
    }

    /// What the server answered, counted on its event loop.
    final class Counts: Sendable {
        private let values = NIOLockedValueBox((ok: 0, notFound: 0, errors: 0))
        var snapshot: (ok: Int, notFound: Int, errors: Int) { values.withLockedValue { $0 } }
        func count(_ status: HTTPResponseStatus) {
            values.withLockedValue { counts in
                switch status {
                case .ok: counts.ok += 1
                case .notFound: counts.notFound += 1
                default: counts.errors += 1
                }
            }
        }
    }
}

/// One connection's requests: parse the path, pick the answer, write it —
/// after the mode's delay.
private final class FlagHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let mode: FlagServer.Mode
    let flags: [String: [UInt8]]
    let counts: FlagServer.Counts
    private var request: HTTPRequestHead?

    init(mode: FlagServer.Mode, flags: [String: [UInt8]], counts: FlagServer.Counts) {
        self.mode = mode
        self.flags = flags
        self.counts = counts
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): request = head
        case .body: break
        case .end:
            guard let head = request else { return }
            request = nil
            let (status, body) = answer(head)
            let delay: Duration? = switch mode {
            case .local: nil
            case .delay(let delay), .error(_, let delay): delay
            }
            let keepAlive = head.isKeepAlive
            guard let delay, delay > .zero else { return respond(context, status, body, keepAlive: keepAlive) }
            context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(Int64(delay.clampedNanoseconds))) {
                self.respond(context, status, body, keepAlive: keepAlive)
            }
        }
    }

    /// The status and body for a request: the flag, 404, or in ERROR mode a
    /// 503 for the codes the rate picks.
    func answer(_ head: HTTPRequestHead) -> (HTTPResponseStatus, [UInt8]) {
        let parts = head.uri.split(separator: "/", omittingEmptySubsequences: true)
        guard head.method == .GET, parts.count == 3, parts[0] == "flags", parts[2] == "\(parts[1]).gif",
              let flag = flags[String(parts[1])] else {
            return (.notFound, Array("404 Not Found\n".utf8))
        }
        if case .error(let rate, _) = mode, Self.fails(code: String(parts[1]), rate: rate) {
            return (.serviceUnavailable, Array("503 Service Unavailable\n".utf8))
        }
        return (.ok, flag)
    }

    /// Whether ERROR mode fails `code`: a hash of the code against the rate,
    /// so runs are repeatable.
    static func fails(code: String, rate: Double) -> Bool {
        let hash = code.utf8.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }
        return Double(hash % 10_000) / 10_000 < rate
    }

    func respond(_ context: ChannelHandlerContext, _ status: HTTPResponseStatus, _ body: [UInt8], keepAlive: Bool) {
        guard context.channel.isActive else { return }
        counts.count(status)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: status == .ok ? "image/gif" : "text/plain")
        headers.add(name: "Content-Length", value: String(body.count))
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        var buffer = context.channel.allocator.buffer(capacity: body.count)
        buffer.writeBytes(body)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive { done.assumeIsolated().whenComplete { _ in context.close(promise: nil) } }
    }
}

extension Duration {
    /// Seconds, as a scenario writes them (`0.5`).
    var secondsText: String {
        let seconds = Double(clampedNanoseconds) / 1e9
        return seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
