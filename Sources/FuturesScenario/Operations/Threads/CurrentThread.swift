/// `- current_thread: me`: the name of the thread running the step.
public struct CurrentThreadOperation: Operation {
    public static let key = "current_thread"
    public static let summary = "Binds the name of the thread running the step (`MainThread`, `ThreadPoolExecutor-0_1`, a started thread's name)."
    public static let python = "me = threading.current_thread().name"
    public static let example = "- current_thread: me"
    public static let fields = [Field.required("as", .name, "binds the thread's name")]
    public static let form = OperationForm.mappingOrValue("as")

    public var name: String

    public static func read(_ input: OperationInput) -> Self? { input.name("as").map(Self.init) }
    public var binds: [String] { [name] }
}
