/// An operation whose only operand is one object (`- release: gate`,
/// `- close: printer`): the shape of nine operations, read and checked once.
public protocol ObjectOperation: Operation {
    /// The kinds of object it works on.
    static var kinds: [ObjectSpec.Kind] { get }
    var object: ObjectRef { get }
    init(object: ObjectRef)
}

extension ObjectOperation {
    public static var fields: [Field] {
        [.required("object", .object(kinds), "the object (or a variable holding its name)")]
    }
    public static var form: OperationForm { .value("object") }
    public static func read(_ input: OperationInput) -> Self? { input.object("object").map(Self.init) }
    public var reads: [String] { object.names }
}
