/// Every scenario operation, in the order the reference lists them — the one
/// list the reader, the schema, the reference and the runner's completeness
/// test read, as argument-parser's `subcommands:` lists a tool's commands.
public enum OperationRegistry {
    /// The operations by topic, in the order the reference lists them.
    public static let topics: [(title: String, operations: [any Operation.Type])] = [
        ("The program's own steps", [
            LogOperation.self, NoteOperation.self, SetOperation.self, RecordOperation.self, NowOperation.self,
            ReturnOperation.self, RaiseOperation.self,
            ForOperation.self, WhileOperation.self, IfOperation.self, TryOperation.self, MeasureOperation.self,
        ]),
        ("The classroom", [
            AskOperation.self,
        ]),
        ("Work", [
            SleepOperation.self, BusyOperation.self, SHA256Operation.self, RC4Operation.self,
            WriteLogsOperation.self, FindRobotsOperation.self,
        ]),
        ("Executors and futures", [
            SubmitOperation.self, CallOperation.self, MapOperation.self, ResultOperation.self, ExceptionOperation.self,
            AsCompletedOperation.self, WaitOperation.self, CancelOperation.self, AddDoneCallbackOperation.self,
            ShutdownOperation.self,
        ]),
        ("multiprocessing's pools", [
            ApplyAsyncOperation.self, MapAsyncOperation.self, ReadyOperation.self, SuccessfulOperation.self,
            AsyncWaitOperation.self, PoolCloseOperation.self, PoolJoinOperation.self, PoolTerminateOperation.self,
        ]),
        ("Threads and the cooperative scheduler", [
            StartThreadOperation.self, ThreadOperation.self, StartOperation.self, JoinOperation.self, IsAliveOperation.self,
            CurrentThreadOperation.self,
            CooperativeOperation.self, YieldOperation.self, SchedYieldOperation.self,
        ]),
        ("Locks, events, conditions, semaphores", [
            AcquireOperation.self, ReleaseOperation.self, WithOperation.self, OrderedOperation.self,
            EventSetOperation.self, EventClearOperation.self, EventWaitOperation.self,
            NotifyOperation.self, NotifyAllOperation.self, ConditionWaitOperation.self,
        ]),
        ("Queues and thread-locals", [
            PutOperation.self, GetOperation.self, TaskDoneOperation.self, JoinQueueOperation.self,
            LocalSetOperation.self, LocalGetOperation.self,
        ]),
        ("Pollable queues, sockets, actors, publish/subscribe", [
            SelectOperation.self, SendOperation.self, ReceiveOperation.self,
            StartActorOperation.self, CloseOperation.self, JoinActorOperation.self, ActorSubmitOperation.self,
            AttachOperation.self, DetachOperation.self, SubscribeOperation.self,
            NewActorOperation.self, RunActorsOperation.self,
        ]),
        ("Real network experiments", [
            HTTPGetOperation.self, EchoLoadOperation.self,
        ]),
    ]

    /// Every operation, once.
    public static let all: [any Operation.Type] = topics.flatMap(\.operations)

    /// The keys, in order.
    public static let keys: [String] = all.map { $0.key }

    private static let byKey: [String: any Operation.Type] =
        Dictionary(all.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })

    /// The operation written `key`, if there is one.
    public static func operation(forKey key: String) -> (any Operation.Type)? { byKey[key] }

    private static let indexes: [ObjectIdentifier: Int] =
        Dictionary(all.enumerated().map { (ObjectIdentifier($0.element), $0.offset) }, uniquingKeysWith: { first, _ in first })

    /// The place of `type` in `all` (-1 for a type not registered).
    public static func index(of type: any Operation.Type) -> Int { indexes[ObjectIdentifier(type)] ?? -1 }
}
