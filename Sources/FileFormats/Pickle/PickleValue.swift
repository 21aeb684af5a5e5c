/// One value produced by the restricted unpickler.
///
/// Scalars are stored inline; containers (tuples, lists, dicts, sets, calls, persistent ids) live in the
/// `PickleGraph`'s flat container table and are referred to by index. That keeps Python's reference semantics
/// (a memoized list that is appended to later is the same list everywhere) without reference cycles in Swift
/// memory and without recursive destruction of deeply nested values.
public enum PickleValue: Sendable, Equatable {
    case none
    case bool(Bool)
    case int(Int)
    /// An integer that does not fit in 64 bits: little-endian two's complement bytes.
    case bigInt([UInt8])
    case float(Double)
    case string(String)
    case bytes([UInt8])
    /// A global reference (`module.name`), recorded symbolically and never resolved.
    case global(module: String, name: String)
    /// A container in `PickleGraph.containers`.
    case container(Int)

    /// The string payload, if this is a string.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The integer payload, if this is an int (bools count, as in Python).
    public var intValue: Int? {
        switch self {
        case .int(let value): return value
        case .bool(let flag): return flag ? 1 : 0
        default: return nil
        }
    }
}

/// A container built by the unpickler.
public struct PickleContainer: Sendable {
    /// What kind of container this is.
    public enum Kind: Sendable, Equatable {
        case tuple, list, dict, set, frozenSet
        /// The result of calling an allowlisted global (`REDUCE`, `NEWOBJ`): `items` are the positional
        /// arguments, `keys`/`values` the keyword arguments, `state` what `BUILD` gave it.
        case call(module: String, name: String)
        /// A persistent id (`BINPERSID`): `items[0]` is the id.
        case persistentID
    }

    /// What kind of container this is.
    public internal(set) var kind: Kind
    /// Elements of a tuple, list or set; positional arguments of a call; the id of a persistent id.
    public internal(set) var items: [PickleValue] = []
    /// Dict keys (or call keyword names) in insertion order; `values[i]` belongs to `keys[i]`.
    public internal(set) var keys: [PickleValue] = []
    /// Dict values, parallel to `keys`.
    public internal(set) var values: [PickleValue] = []
    /// The `BUILD` state of a call, if any.
    public internal(set) var state: PickleValue?
    /// Nesting depth (1 + the deepest child seen when children were added).
    var depth: Int = 1
    /// Position of each hashable key in `keys`, so repeated keys replace in place as in Python.
    var keyIndex: [PickleKey: Int] = [:]

    init(kind: Kind, items: [PickleValue] = []) {
        self.kind = kind
        self.items = items
    }
}

/// The subset of pickle values that can be dict keys with Python's equality.
enum PickleKey: Hashable {
    case none, int(Int), bigInt([UInt8]), string(String), bytes([UInt8]), float(Double)

    init?(_ value: PickleValue) {
        switch value {
        case .none: self = .none
        case .bool(let flag): self = .int(flag ? 1 : 0)
        case .int(let number): self = .int(number)
        case .bigInt(let bytes): self = .bigInt(bytes)
        case .string(let text): self = .string(text)
        case .bytes(let bytes): self = .bytes(bytes)
        case .float(let number): self = number == number.rounded() && abs(number) < 9e18 ? .int(Int(number)) : .float(number)
        case .global, .container: return nil
        }
    }
}

/// Everything one pickle produced: its root value and the containers it refers to.
public struct PickleGraph: Sendable {
    /// The value `STOP` returned.
    public let root: PickleValue
    /// Containers referred to by `PickleValue.container(index)`.
    public let containers: [PickleContainer]

    /// The container `value` refers to, or nil for scalars.
    public func container(_ value: PickleValue) -> PickleContainer? {
        if case .container(let index) = value { return containers[index] }
        return nil
    }

    /// Elements of a tuple or list, or nil for anything else.
    public func sequence(_ value: PickleValue) -> [PickleValue]? {
        guard let box = container(value) else { return nil }
        switch box.kind {
        case .tuple, .list: return box.items
        default: return nil
        }
    }

    /// A short description for error messages (`tuple of 3`, `call torch.Size`, `string "cpu"`).
    public func describe(_ value: PickleValue) -> String {
        switch value {
        case .none: return "None"
        case .bool(let flag): return flag ? "True" : "False"
        case .int(let number): return "int \(number)"
        case .bigInt(let bytes): return "\(bytes.count)-byte int"
        case .float(let number): return "float \(number)"
        case .string(let text): return "string \"\(text.prefix(40))\""
        case .bytes(let bytes): return "\(bytes.count) bytes"
        case .global(let module, let name): return "global \(module).\(name)"
        case .container(let index):
            let box = containers[index]
            switch box.kind {
            case .tuple: return "tuple of \(box.items.count)"
            case .list: return "list of \(box.items.count)"
            case .dict: return "dict of \(box.keys.count)"
            case .set, .frozenSet: return "set of \(box.items.count)"
            case .call(let module, let name): return "call \(module).\(name)"
            case .persistentID: return "persistent id"
            }
        }
    }
}
