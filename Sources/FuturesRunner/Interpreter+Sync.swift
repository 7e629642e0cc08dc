import FuturesCore
import FuturesScenario
import FuturesSync

/// Object operands: a name, or a variable holding one.
extension Interpreter {
    /// An object operand: its name, or (`$variable`) the name a variable holds.
    func resolve(_ operand: ObjectRef, _ scope: Scope) throws -> String {
        switch operand {
        case .object(let name): name
        case .variable(let name): try evaluate(.name(VariableName(name)), scope).description
        }
    }

    /// The object an operand names, as `type`.
    func object<T>(_ operand: ObjectRef, _ scope: Scope, as type: T.Type) throws -> T {
        try sync.object(try resolve(operand, scope), as: type)
    }
}
