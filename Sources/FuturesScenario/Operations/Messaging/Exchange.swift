extension ObjectSpec.Kind {
    /// What may subscribe to an exchange.
    public static let subscribers: [ObjectSpec.Kind] = actors + queues
}

/// Attaching or detaching one subscriber of an exchange.
public protocol SubscriptionOperation: Operation {
    var exchange: ObjectRef { get }
    var subscriber: ObjectRef { get }
    init(exchange: ObjectRef, subscriber: ObjectRef)
}

extension SubscriptionOperation {
    public static var fields: [Field] {
        [
            Field.required("exchange", .object([.exchange]), "the exchange"),
            .required("subscriber", .object(ObjectSpec.Kind.subscribers), "an actor or a queue"),
        ]
    }

    public static func read(_ input: OperationInput) -> Self? {
        guard let exchange = input.object("exchange"), let subscriber = input.object("subscriber") else { return nil }
        return Self(exchange: exchange, subscriber: subscriber)
    }
    public var reads: [String] { exchange.names + subscriber.names }
}

/// Cookbook 12.11: `- attach: {exchange: spam, subscriber: display}`.
public struct AttachOperation: SubscriptionOperation {
    public static let key = "attach"
    public static let summary = "Cookbook 12.11: attaches a subscriber (an actor or a queue) to an exchange."
    public static let python = "spam.attach(display)"
    public static let example = "- attach: {exchange: spam, subscriber: display}"
    public var exchange: ObjectRef
    public var subscriber: ObjectRef
    public init(exchange: ObjectRef, subscriber: ObjectRef) { (self.exchange, self.subscriber) = (exchange, subscriber) }
}

/// `- detach: {exchange: spam, subscriber: display}`.
public struct DetachOperation: SubscriptionOperation {
    public static let key = "detach"
    public static let summary = "Detaches a subscriber; detaching one not attached raises `ValueError`."
    public static let python = "spam.detach(display)"
    public static let example = "- detach: {exchange: spam, subscriber: display}"
    public var exchange: ObjectRef
    public var subscriber: ObjectRef
    public init(exchange: ObjectRef, subscriber: ObjectRef) { (self.exchange, self.subscriber) = (exchange, subscriber) }
}

/// `- subscribe: {exchange: spam, subscribers: [a, b], do: […]}`.
public struct SubscribeOperation: Operation {
    public static let key = "subscribe"
    public static let summary = "Attaches the subscribers for the steps, and detaches them however the steps end."
    public static let python = "with spam.subscribe(a, b): …"
    public static let example = "- subscribe: {exchange: spam, subscribers: [a, b], do: [{send: {to: spam, message: \"hi\"}}]}"
    public static let fields = [
        Field.required("exchange", .object([.exchange]), "the exchange"),
        .required("subscribers", .objects(ObjectSpec.Kind.subscribers), "actors and queues"),
        .required("do", .steps, "the steps run while they are attached"),
    ]

    public var exchange: ObjectRef
    public var subscribers: [ObjectRef]
    public var body: [Step]

    public static func read(_ input: OperationInput) -> Self? {
        guard let exchange = input.object("exchange"), let subscribers = input.objects("subscribers") else { return nil }
        return Self(exchange: exchange, subscribers: subscribers, body: input.steps("do"))
    }
    public var reads: [String] { exchange.names + subscribers.names }
    public var bodies: [Body] { [Body(body)] }
}
