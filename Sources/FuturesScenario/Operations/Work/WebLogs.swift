/// Cookbook 12.8: `- write_logs: {files: 8, lines: 20000, as: logs}`.
public struct WriteLogsOperation: Operation {
    public static let key = "write_logs"
    public static let summary = "Cookbook 12.8: writes generated gzip web-server logs and binds their paths."
    public static let example = "- write_logs: {files: 8, lines: 20000, directory: \"out\", as: logs}"
    public static let fields = [
        Field("directory", .expression, default: "a new temporary one", "where the files go"),
        .required("files", .count, "how many files"),
        .required("lines", .count, "lines per file"),
        .required("as", .name, "binds the list of paths"),
    ]

    public var directory: Expression?
    public var files: Expression
    public var lines: Expression
    public var name: String

    public static func read(_ input: OperationInput) -> Self? {
        guard let files = input.expression("files"), let lines = input.expression("lines"), let name = input.name("as") else { return nil }
        return Self(directory: input.expression("directory"), files: files, lines: lines, name: name)
    }
    public var reads: [String] { directory.names + files.names + lines.names }
    public var binds: [String] { [name] }
}

/// Cookbook 12.8: `- find_robots: {file: log, as: hosts}`.
public struct FindRobotsOperation: Operation {
    public static let key = "find_robots"
    public static let summary = "Cookbook 12.8: the hosts that fetched /robots.txt in one gzip log (sorted)."
    public static let example = "- find_robots: {file: log, as: hosts}"
    public static let fields = [
        Field.required("file", .expression, "the log's path"),
        .required("as", .name, "binds the hosts"),
    ]

    public var file: Expression
    public var name: String

    public static func read(_ input: OperationInput) -> Self? {
        guard let file = input.expression("file"), let name = input.name("as") else { return nil }
        return Self(file: file, name: name)
    }
    public var reads: [String] { file.names }
    public var binds: [String] { [name] }
}
