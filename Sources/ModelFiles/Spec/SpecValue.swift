import NNCore
import NNModules

/// What an expression of a .nn file evaluates to.
enum SpecValue {
    case module(Module)
    case tensor(Tensor)
    case integer(Int)
    case float(Double)
    case bool(Bool)
    case string(String)
    case list([SpecValue])
    /// A bare word that names nothing (only on the right of `loss =`).
    case word(String)

    /// How the value's kind reads in an error message.
    var kindDescription: String {
        switch self {
        case .module(let module): return "a \(module.typeName) module"
        case .tensor: return "a tensor"
        case .integer: return "an integer"
        case .float: return "a number"
        case .bool: return "a boolean"
        case .string: return "a string"
        case .list: return "a list"
        case .word(let word): return "the word \(word)"
        }
    }
}
