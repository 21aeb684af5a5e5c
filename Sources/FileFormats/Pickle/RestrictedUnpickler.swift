/// A pickle reader that builds values but never executes anything.
///
/// A stack machine over `PickleValue` for the opcodes of protocols 0–5. Globals are recorded symbolically and
/// must be on `PickleAllowlist`; `REDUCE`/`NEWOBJ` of an allowlisted callable becomes a `.call` container
/// (a few builtins such as `OrderedDict()` and `_codecs.encode` are evaluated because they only make data).
/// Every size the input claims is checked against the bytes present, and the loop is iterative, so no input
/// can exhaust memory or the call stack.
public struct RestrictedUnpickler {
    /// Bounds on what one pickle may build.
    public struct Limits: Sendable {
        /// Deepest container nesting (and MARK nesting) accepted.
        public var maxDepth: Int
        /// Most values (scalars and containers) one pickle may create.
        public var maxObjects: Int
        /// Longest LONG1/LONG4 integer, in bytes.
        public var maxLongBytes: Int

        /// Limits for one pickle; the defaults fit any real checkpoint.
        public init(maxDepth: Int = 1000, maxObjects: Int = 5_000_000, maxLongBytes: Int = 1024) {
            self.maxDepth = maxDepth
            self.maxObjects = maxObjects
            self.maxLongBytes = maxLongBytes
        }
    }

    /// Reads one pickle starting at `start`; returns its value and the offset just past its STOP.
    public static func load(_ bytes: UnsafeRawBufferPointer, at start: Int = 0,
                            limits: Limits = Limits()) throws -> (graph: PickleGraph, end: Int) {
        var machine = RestrictedUnpickler(bytes: bytes, position: start, limits: limits)
        let root = try machine.run()
        return (PickleGraph(root: root, containers: machine.containers), machine.position)
    }

    let bytes: UnsafeRawBufferPointer
    var position: Int
    let limits: Limits
    var stack: [PickleValue] = []
    var marks: [Int] = []
    var memo: [Int: PickleValue] = [:]
    var containers: [PickleContainer] = []
    var objectCount = 0
    var opcodeOffset = 0
    var opcodeName = ""

    init(bytes: UnsafeRawBufferPointer, position: Int, limits: Limits) {
        self.bytes = bytes
        self.position = position
        self.limits = limits
    }

    // MARK: - Errors

    func failure(_ message: String) -> ModelFileError {
        ModelFileError("pickle: \(message) (\(opcodeName) at offset \(opcodeOffset))")
    }

    // MARK: - Reading bytes

    mutating func readBytes(_ count: Int) throws -> UnsafeRawBufferPointer {
        guard count >= 0, count <= bytes.count - position else {
            throw failure("needs \(count) bytes but only \(bytes.count - position) are left")
        }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[position ..< position + count])
        position += count
        return slice
    }

    mutating func readByte() throws -> UInt8 { try readBytes(1)[0] }

    mutating func readLittleEndian(_ width: Int) throws -> UInt64 {
        ByteReader.littleEndian(try readBytes(width))
    }

    /// A length field, checked against the bytes left before anything is allocated for it.
    mutating func readLength(_ width: Int) throws -> Int {
        let claimed = try readLittleEndian(width)
        let left = bytes.count - position
        guard claimed <= UInt64(left) else {
            throw failure("claims \(claimed) bytes but only \(left) are left")
        }
        return Int(claimed)
    }

    /// A `\n`-terminated line (text protocol forms), without the newline.
    mutating func readLine() throws -> [UInt8] {
        guard let end = bytes[position...].firstIndex(of: 0x0A) else { throw failure("line has no end") }
        let line = Array(bytes[position ..< end])
        position = end + 1
        return line
    }

    mutating func readUTF8(_ count: Int) throws -> String {
        let raw = try readBytes(count)
        guard let text = String(validating: raw, as: UTF8.self) else { throw failure("string is not valid UTF-8") }
        return text
    }

    // MARK: - Stack

    mutating func push(_ value: PickleValue) throws {
        objectCount += 1
        guard objectCount <= limits.maxObjects else {
            throw failure("more than \(limits.maxObjects) objects")
        }
        stack.append(value)
    }

    mutating func pop() throws -> PickleValue {
        guard stack.count > (marks.last ?? 0), let value = stack.popLast() else { throw failure("stack underflow") }
        return value
    }

    func top() throws -> PickleValue {
        guard stack.count > (marks.last ?? 0), let value = stack.last else { throw failure("stack underflow") }
        return value
    }

    /// Everything pushed since the last MARK, removing the mark.
    mutating func popMark() throws -> [PickleValue] {
        guard let mark = marks.popLast() else { throw failure("MARK missing") }
        let items = Array(stack[mark...])
        stack.removeSubrange(mark...)
        return items
    }

    func depth(of value: PickleValue) -> Int {
        if case .container(let index) = value { return containers[index].depth }
        return 0
    }

    /// Adds a container and returns a value referring to it, enforcing the depth limit.
    mutating func makeContainer(_ kind: PickleContainer.Kind, items: [PickleValue] = []) throws -> PickleValue {
        var box = PickleContainer(kind: kind, items: items)
        box.depth = 1 + items.reduce(0) { max($0, depth(of: $1)) }
        guard box.depth <= limits.maxDepth else { throw failure("nesting deeper than \(limits.maxDepth)") }
        containers.append(box)
        return .container(containers.count - 1)
    }

    /// Index of the container `value` refers to if it has one of `kinds`.
    func containerIndex(_ value: PickleValue, _ what: String,
                        where accepts: (PickleContainer.Kind) -> Bool) throws -> Int {
        guard case .container(let index) = value, accepts(containers[index].kind) else {
            throw failure("\(what) needs a \(what == "APPEND" ? "list" : "container") but found \(describe(value))")
        }
        return index
    }

    /// Elements of a tuple or list built so far.
    func sequence(_ value: PickleValue) -> [PickleValue]? {
        guard case .container(let index) = value else { return nil }
        return containers[index].kind == .tuple || containers[index].kind == .list ? containers[index].items : nil
    }

    func containerValue(_ value: PickleValue) -> PickleContainer? {
        if case .container(let index) = value { return containers[index] }
        return nil
    }

    func describe(_ value: PickleValue) -> String {
        PickleGraph(root: .none, containers: containers).describe(value)
    }

    mutating func noteChildDepth(_ index: Int, _ child: PickleValue) throws {
        let childDepth = depth(of: child) + 1
        if childDepth > containers[index].depth {
            guard childDepth <= limits.maxDepth else { throw failure("nesting deeper than \(limits.maxDepth)") }
            containers[index].depth = childDepth
        }
    }

    mutating func appendItems(_ items: [PickleValue], to target: PickleValue) throws {
        let index = try containerIndex(target, opcodeName) { $0 == .list }
        for item in items { try noteChildDepth(index, item) }
        containers[index].items.append(contentsOf: items)
    }

    mutating func addSetItems(_ items: [PickleValue], to target: PickleValue) throws {
        let index = try containerIndex(target, opcodeName) { $0 == .set }
        for item in items { try noteChildDepth(index, item) }
        containers[index].items.append(contentsOf: items)
    }

    /// Sets `key: value` in a dict, replacing an equal key in place as Python does.
    mutating func setItem(_ index: Int, key: PickleValue, value: PickleValue) throws {
        try noteChildDepth(index, key)
        try noteChildDepth(index, value)
        if let hashable = PickleKey(key) {
            if let existing = containers[index].keyIndex[hashable] {
                containers[index].values[existing] = value
                return
            }
            containers[index].keyIndex[hashable] = containers[index].keys.count
        }
        containers[index].keys.append(key)
        containers[index].values.append(value)
    }

    mutating func setItems(_ pairs: [PickleValue], in target: PickleValue) throws {
        guard pairs.count % 2 == 0 else { throw failure("odd number of items for a dict") }
        let index = try containerIndex(target, opcodeName) { $0 == .dict }
        var position = 0
        while position < pairs.count {
            try setItem(index, key: pairs[position], value: pairs[position + 1])
            position += 2
        }
    }

    // MARK: - Memo

    mutating func memoGet(_ key: Int) throws -> PickleValue {
        guard let value = memo[key] else { throw failure("memo index \(key) is not defined") }
        return value
    }

    mutating func memoPut(_ key: Int) throws {
        guard key >= 0 else { throw failure("negative memo index \(key)") }
        memo[key] = try top()
    }

    // MARK: - Globals and calls

    mutating func pushGlobal(module rawModule: String, name: String) throws {
        // Protocols 0–1 spell builtins the Python 2 way; Python 3 maps them back (fix_imports) and so do we.
        let module = rawModule == "__builtin__" ? "builtins" : rawModule
        guard PickleAllowlist.allows(module: module, name: name) else {
            throw ModelFileError("refusing pickle global \(module).\(name)" + Self.wholeModelHint(module: module, name: name))
        }
        try push(.global(module: module, name: name))
    }

    /// `torch.save(model)` pickles the module object itself: its class is the first global refused. Saying so
    /// tells the person what to do instead of only what was refused.
    static func wholeModelHint(module: String, name: String) -> String {
        let isModuleClass = module.hasPrefix("torch.nn.modules.") || module == "__main__"
        guard isModuleClass, name.first?.isUppercase == true else { return "" }
        return ": the file holds a whole pickled model (class \(module).\(name)), not a state dict; "
            + "nnview never runs pickled code, so save it with torch.save(model.state_dict(), PATH) and open that"
    }

    /// `callable(*arguments, **keywords)` for an allowlisted callable: data-only builtins are evaluated,
    /// everything else stays a symbolic `.call` container for the format layer to interpret.
    mutating func call(_ callable: PickleValue, arguments: PickleValue, keywords: PickleValue? = nil) throws -> PickleValue {
        guard case .global(let module, let name) = callable else {
            throw failure("cannot call \(describe(callable))")
        }
        guard let args = sequence(arguments) else {
            throw failure("arguments of \(module).\(name) are \(describe(arguments)), not a tuple")
        }
        switch "\(module).\(name)" {
        case "collections.OrderedDict", "collections.Counter":
            let dict = try makeContainer(.dict)
            if let first = args.first {
                guard case .container(let dictIndex) = dict,
                      let pairs = sequence(first) else {
                    throw failure("\(name) needs a list of pairs but found \(describe(first))")
                }
                for pair in pairs {
                    guard let keyValue = sequence(pair),
                          keyValue.count == 2 else { throw failure("\(name) item is not a pair") }
                    try setItem(dictIndex, key: keyValue[0], value: keyValue[1])
                }
            }
            return dict
        case "builtins.set", "builtins.frozenset":
            let elements = try args.first.map { value -> [PickleValue] in
                guard let box = containerValue(value),
                      [.tuple, .list, .set, .frozenSet].contains(box.kind) else {
                    throw failure("\(name) needs a sequence but found \(describe(value))")
                }
                return box.items
            } ?? []
            return try makeContainer(name == "set" ? .set : .frozenSet, items: elements)
        case "builtins.bytearray":
            switch args.first {
            case nil: return .bytes([])
            case .bytes(let raw)?: return .bytes(raw)
            case let other?: throw failure("bytearray of \(describe(other)) is not supported")
            }
        case "_codecs.encode":
            // Protocol 2 pickles `bytes` as _codecs.encode(text, "latin1").
            guard args.count == 2, case .string(let text) = args[0], case .string(let encoding) = args[1] else {
                throw failure("_codecs.encode needs (string, encoding)")
            }
            switch encoding.lowercased() {
            case "latin1", "latin-1", "iso-8859-1":
                var raw: [UInt8] = []
                raw.reserveCapacity(text.unicodeScalars.count)
                for scalar in text.unicodeScalars {
                    guard scalar.value < 256 else { throw failure("_codecs.encode: text is not latin1") }
                    raw.append(UInt8(scalar.value))
                }
                return .bytes(raw)
            case "utf-8", "utf8": return .bytes(Array(text.utf8))
            default: throw failure("_codecs.encode with encoding \(encoding) is not supported")
            }
        case "torch.Size":
            let elements = try args.first.map { value -> [PickleValue] in
                guard let items = sequence(value) else {
                    throw failure("torch.Size needs a sequence but found \(describe(value))")
                }
                return items
            } ?? []
            return try makeContainer(.tuple, items: elements)
        default:
            let result = try makeContainer(.call(module: module, name: name), items: args)
            if let keywords {
                let kwIndex = try containerIndex(keywords, "NEWOBJ_EX keywords") { $0 == .dict }
                guard case .container(let resultIndex) = result else { return result }
                let source = containers[kwIndex]
                for (key, value) in zip(source.keys, source.values) { try setItem(resultIndex, key: key, value: value) }
            }
            return result
        }
    }

    /// BUILD: only dict-likes (whose state sets attributes, not items, so it is dropped) and tensor-like calls.
    mutating func build(_ target: PickleValue, state: PickleValue) throws {
        guard case .container(let index) = target else { throw failure("BUILD on \(describe(target)) is not allowed") }
        switch containers[index].kind {
        case .dict:
            // Python's default __setstate__ updates the object's __dict__ (e.g. a state dict's `_metadata`),
            // not its items, so nothing visible changes.
            break
        case .call(let module, _) where module.hasPrefix("torch"):
            try noteChildDepth(index, state)
            containers[index].state = state
        default:
            throw failure("BUILD on \(describe(target)) is not allowed")
        }
    }
}
