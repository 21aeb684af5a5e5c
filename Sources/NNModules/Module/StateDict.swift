import NNCore

/// An ordered list of named tensors: every parameter and buffer of a module tree under every path that reaches
/// it (tied tensors appear once per name, as in PyTorch's `state_dict()`), or the values to load into one.
public struct StateDict: Sequence {
    /// A value in a state dict: a tensor, or the partial shape of a lazy parameter not yet initialised.
    public enum Value {
        /// A tensor (the module's own, not a copy, when it comes from `Module.stateDict()`).
        case tensor(Tensor)
        /// A lazy parameter without values yet.
        case uninitialised(LazyShape)
    }

    /// One named value.
    public struct Entry {
        /// The dotted name (`0.net.0.weight`).
        public let name: String
        /// The tensor or the lazy shape.
        public let value: Value
        /// True for a buffer, false for a parameter (or an entry of unknown origin).
        public let isBuffer: Bool

        /// Creates an entry.
        public init(name: String, value: Value, isBuffer: Bool = false) {
            self.name = name
            self.value = value
            self.isBuffer = isBuffer
        }

        /// The tensor, nil for an uninitialised entry.
        public var tensor: Tensor? {
            if case .tensor(let tensor) = value { return tensor }
            return nil
        }

        /// The shape as far as it is known.
        public var shape: LazyShape {
            switch value {
            case .tensor(let tensor): LazyShape(known: tensor.shape)
            case .uninitialised(let shape): shape
            }
        }
    }

    /// The entries in order.
    public private(set) var entries: [Entry]

    /// An empty state dict.
    public init() {
        entries = []
    }

    /// A state dict of the given entries.
    public init(entries: [Entry]) {
        self.entries = entries
    }

    /// A state dict of named tensors in the given order.
    public init(_ tensors: [(String, Tensor)]) {
        entries = tensors.map { Entry(name: $0.0, value: .tensor($0.1)) }
    }

    /// The names in order.
    public var keys: [String] { entries.map(\.name) }

    /// The number of entries.
    public var count: Int { entries.count }

    /// The tensor under `name`, nil if absent or uninitialised.
    public subscript(name: String) -> Tensor? {
        entries.first { $0.name == name }?.tensor
    }

    /// Appends a named tensor.
    public mutating func append(_ name: String, _ tensor: Tensor) {
        entries.append(Entry(name: name, value: .tensor(tensor)))
    }

    /// Appends an entry.
    public mutating func append(_ entry: Entry) {
        entries.append(entry)
    }

    /// Iterates the entries in order.
    public func makeIterator() -> IndexingIterator<[Entry]> {
        entries.makeIterator()
    }
}
