/// Fluent Python's `download_one`: `- http_get: {server: flags, path: "/flags/…", as: status}`.
public struct HTTPGetOperation: Operation {
    public static let key = "http_get"
    public static let summary = "A blocking GET from a flag server; binds `ok` (the body saved as `save_as`), `not found` (404) or `error` (anything else, a timeout, a refused connection), and a header field's value if asked."
    public static let python = "status = download_one(cc)  /  requests.get(url).headers['Content-Type']"
    public static let example = "- http_get: {server: flags, path: \"/flags/{lower(cc)}/{lower(cc)}.gif\", save_as: \"{cc}.gif\", timeout: 10, as: status, error_as: why}"
    public static let fields = [
        Field.required("server", .object([.httpServer]), "the flag server"),
        .required("path", .template, "the path requested"),
        Field("timeout", .duration, default: "10", "seconds for the whole request"),
        Field("save_as", .template, "the file name an `ok` answer is saved as"),
        Field("directory", .expression, default: "run --downloads, else a new temporary one", "where it is saved"),
        Field("as", .name, "binds ok, not found or error"),
        Field("error_as", .name, "binds what went wrong (`HTTP 503 Service Unavailable`), or ''"),
        Field("header", .expression, "the name of a header field of the answer (`Content-Type`)"),
        Field("header_as", .name, "binds that field's value (None when the answer has no such field)"),
    ]

    public var server: ObjectRef
    public var path: Template
    public var timeout: Expression?
    public var saveAs: Template?
    public var directory: Expression?
    public var name: String?
    public var errorName: String?
    public var header: Expression?
    public var headerName: String?

    public static func read(_ input: OperationInput) -> Self? {
        guard let server = input.object("server"), let path = input.template("path") else { return nil }
        if input.has("header") != input.has("header_as") { input.error("http_get: 'header' and 'header_as' go together") }
        return Self(server: server, path: path, timeout: input.duration("timeout"), saveAs: input.template("save_as"),
                    directory: input.expression("directory"), name: input.name("as"), errorName: input.name("error_as"),
                    header: input.expression("header"), headerName: input.name("header_as"))
    }
    public var reads: [String] { path.names + saveAs.names + timeout.names + directory.names + server.names + header.names }
    public var binds: [String] { [name, errorName, headerName].compactMap { $0 } }
}

/// The Cookbook's echo server under load: `- echo_load: {server: echo, clients: 50, messages: 10, as: load}`.
public struct EchoLoadOperation: Operation {
    public static let key = "echo_load"
    public static let summary = "A bounded load on an echo server, every echoed byte checked; binds `<as>_ok`, `<as>_bytes`, `<as>_mismatches`, `<as>_failures`, `<as>_peak_handlers` and `<as>_threads`."
    public static let example = "- echo_load: {server: echo, clients: 50, messages: 10, size: 256, pause: 0.02, as: load}"
    public static let fields = [
        Field.required("server", .object([.echoServer]), "the echo server"),
        .required("clients", .count, "clients at once (at most 10,000)"),
        .required("messages", .count, "messages each"),
        Field("size", .count, default: "64", "bytes a message"),
        Field("pause", .duration, default: "0", "seconds between a client's messages"),
        .required("as", .name, "the prefix of the names bound"),
    ]

    public var server: ObjectRef
    public var clients: Expression
    public var messages: Expression
    public var size: Expression
    public var pause: Expression?
    public var name: String

    /// The variables `as: name` binds, in this order: clients whose every
    /// byte came back, bytes checked, mismatched echoes, failed clients, the
    /// most handlers at once, threads started for clients.
    public static func names(_ name: String) -> [String] {
        ["ok", "bytes", "mismatches", "failures", "peak_handlers", "threads"].map { "\(name)_\($0)" }
    }

    public static func read(_ input: OperationInput) -> Self? {
        guard let server = input.object("server"), let clients = input.expression("clients"),
              let messages = input.expression("messages"), let name = input.name("as") else { return nil }
        return Self(server: server, clients: clients, messages: messages, size: input.expression("size") ?? .literal(.int(64)),
                    pause: input.duration("pause"), name: name)
    }
    public var reads: [String] { clients.names + messages.names + size.names + pause.names + server.names }
    public var binds: [String] { Self.names(name) }
}
