import ModulePaths

/// What a checkpoint's persistent id `('storage', torch.FloatStorage, key, location, numel[, view])` says.
struct PyTorchStorageID {
    var className: String
    var key: String
    var location: String
    var elementCount: Int
    /// Legacy storage views: `(root key, element offset, element count)`.
    var view: (key: String, offset: Int, count: Int)?
}

/// A storage as the format layer found it: the bytes of the whole (root) storage and how to read them.
struct PyTorchStorage {
    var reference: StorageReference
    var type: ElementType
    /// First element of this storage inside `reference` (non-zero only for legacy storage views).
    var elementBase: Int
    var elementCount: Int
}

/// Turns the object a checkpoint pickled into named tensor records.
///
/// State dicts, dicts, lists, tuples and single tensors are walked iteratively (so depth is bounded by a
/// counter, not the call stack); names are joined with dots, list items are numbered. Scalars become metadata.
struct PyTorchTensorCollector {
    let graph: PickleGraph
    let resolve: (PyTorchStorageID) throws -> PyTorchStorage
    var storages: [String: PyTorchStorage] = [:]
    var tensors: [TensorRecord] = []
    var metadata: [(key: String, value: String)] = []

    static let maxDepth = 1000
    static let maxVisits = 5_000_000
    /// How often one non-empty dict/list/tuple may be walked: memo references let a tiny pickle describe an
    /// exponentially large tree, so a container reached more often than this is refused.
    static let maxExpansionsPerContainer = 64
    /// Scalars kept as metadata (a checkpoint may pickle long lists of numbers; the first ones suffice).
    static let maxMetadataEntries = 1000
    static let maxDimensions = 64

    init(graph: PickleGraph, resolve: @escaping (PyTorchStorageID) throws -> PyTorchStorage) {
        self.graph = graph
        self.resolve = resolve
    }

    mutating func collect() throws {
        var work: [(value: PickleValue, name: String, depth: Int)] = [(graph.root, "", 0)]
        var visits = 0
        var expansions: [Int: Int] = [:]
        while let (value, name, depth) = work.popLast() {
            visits += 1
            guard visits <= Self.maxVisits else { throw ModelFileError("checkpoint object has more than \(Self.maxVisits) parts (shared references repeated too often?)") }
            guard depth <= Self.maxDepth else { throw ModelFileError("checkpoint object nests deeper than \(Self.maxDepth)") }
            if try collectTensor(value, name: name.isEmpty ? "tensor" : name) { continue }
            switch value {
            case .container(let index):
                let box = graph.containers[index]
                if !box.items.isEmpty || !box.keys.isEmpty {
                    expansions[index, default: 0] += 1
                    guard expansions[index]! <= Self.maxExpansionsPerContainer else {
                        throw ModelFileError("checkpoint object reuses one \(graph.describe(value)) more than "
                            + "\(Self.maxExpansionsPerContainer) times")
                    }
                }
                switch box.kind {
                case .dict:
                    for (position, (key, child)) in zip(box.keys, box.values).enumerated().reversed() {
                        work.append((child, Self.join(name, dictKeySegment(key, position: position)), depth + 1))
                    }
                case .list, .tuple:
                    for (position, child) in box.items.enumerated().reversed() {
                        work.append((child, Self.join(name, String(position)), depth + 1))
                    }
                default:
                    break  // sets, devices, sizes, … carry no tensors worth naming
                }
            case .int(let number): noteScalar(name, String(number))
            case .float(let number): noteScalar(name, String(number))
            case .bool(let flag): noteScalar(name, flag ? "True" : "False")
            case .string(let text): noteScalar(name, String(text.prefix(200)))
            default:
                break
            }
        }
    }

    mutating func noteScalar(_ name: String, _ value: String) {
        guard !name.isEmpty, metadata.count < Self.maxMetadataEntries else { return }
        metadata.append((name, value))
    }

    static func join(_ prefix: String, _ part: String) -> String { ModulePath.join(prefix, part) }

    static func nameSegment(_ key: PickleValue) -> String? {
        switch key {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .bool(let flag): return flag ? "True" : "False"
        default: return nil
        }
    }

    /// A dict key as a name segment. Keys are nearly always strings; a tuple of simple keys (`{(1, 2): t}`) joins
    /// them with commas, a float or None is spelled as Python prints it, and anything else is named by its position,
    /// so no tensor is silently left out.
    func dictKeySegment(_ key: PickleValue, position: Int) -> String {
        if let segment = Self.nameSegment(key) { return segment }
        switch key {
        case .float(let number): return String(number)
        case .none: return "None"
        default:
            if let box = graph.container(key), case .tuple = box.kind {
                let parts = box.items.compactMap { Self.nameSegment($0) }
                if parts.count == box.items.count, !parts.isEmpty { return parts.joined(separator: ",") }
            }
            return "key\(position)"
        }
    }

    /// Records `value` under `name` if it is a tensor; false if it is something else.
    mutating func collectTensor(_ value: PickleValue, name: String) throws -> Bool {
        var current = value
        // Parameters and subclasses wrap a tensor; unwrap a bounded number of layers.
        for _ in 0 ..< 16 {
            guard let box = graph.container(current), case .call(let module, let function) = box.kind else { return false }
            switch (module, function) {
            case ("torch._utils", "_rebuild_tensor"), ("torch._utils", "_rebuild_tensor_v2"):
                tensors.append(try tensorRecord(arguments: box.items, dtype: nil, name: name))
                return true
            case ("torch._utils", "_rebuild_tensor_v3"):
                guard box.items.count >= 7 else { throw problem(name, "_rebuild_tensor_v3 has \(box.items.count) arguments") }
                tensors.append(try tensorRecord(arguments: box.items, dtype: box.items[6], name: name))
                return true
            case ("torch._utils", "_rebuild_parameter"), ("torch._utils", "_rebuild_parameter_with_state"),
                 ("torch.nn.parameter", "Parameter"):
                guard let data = box.items.first else { throw problem(name, "\(function) without data") }
                current = data
            case ("torch._tensor", "_rebuild_from_type_v2"):
                // (func, new_type, args, state): the tensor is func(*args).
                guard box.items.count >= 3, case .global(let innerModule, let innerName) = box.items[0],
                      let inner = graph.sequence(box.items[2]) else {
                    throw problem(name, "_rebuild_from_type_v2 has unexpected arguments")
                }
                if innerModule == "torch._utils", innerName == "_rebuild_tensor_v2" || innerName == "_rebuild_tensor" {
                    tensors.append(try tensorRecord(arguments: inner, dtype: nil, name: name))
                    return true
                }
                if innerModule == "torch._utils", innerName == "_rebuild_tensor_v3", inner.count >= 7 {
                    tensors.append(try tensorRecord(arguments: inner, dtype: inner[6], name: name))
                    return true
                }
                throw problem(name, "unsupported tensor kind \(innerModule).\(innerName)")
            case ("torch._utils", _):
                throw problem(name, "unsupported tensor kind \(module).\(function)")
            default:
                return false
            }
        }
        throw problem(name, "tensor wrapped too many times")
    }

    func problem(_ name: String, _ message: String) -> ModelFileError {
        ModelFileError("tensor \(name): \(message)")
    }

    func intList(_ value: PickleValue, _ what: String, name: String) throws -> [Int] {
        guard let items = graph.sequence(value) else { throw problem(name, "\(what) is \(graph.describe(value))") }
        guard items.count <= Self.maxDimensions else { throw problem(name, "\(what) has \(items.count) dimensions") }
        return try items.map { item in
            guard case .int(let number) = item, number >= 0 else {
                throw problem(name, "\(what) holds \(graph.describe(item)), not a non-negative int")
            }
            return number
        }
    }

    /// `(storage, storage_offset, size, stride, …)` → a record, checking that the view fits in its storage.
    mutating func tensorRecord(arguments: [PickleValue], dtype: PickleValue?, name: String) throws -> TensorRecord {
        guard arguments.count >= 4 else { throw problem(name, "tensor rebuild has \(arguments.count) arguments") }
        let storage = try storage(arguments[0], name: name)
        guard case .int(let offset) = arguments[1], offset >= 0 else {
            throw problem(name, "storage offset is \(graph.describe(arguments[1]))")
        }
        let shape = try intList(arguments[2], "size", name: name)
        let strides = try intList(arguments[3], "stride", name: name)
        guard shape.count == strides.count else {
            throw problem(name, "size has \(shape.count) dimensions but stride has \(strides.count)")
        }
        var type = storage.type
        var available = storage.elementCount
        var base = storage.elementBase
        if let dtype {
            guard case .global(_, let dtypeName) = dtype, let dtypeType = PyTorchElementTypes.dtype(dtypeName) else {
                throw problem(name, "unsupported dtype \(graph.describe(dtype))")
            }
            if dtypeType != type {
                // An untyped (byte) storage read as `dtype`: count and base are in bytes.
                let size = PyTorchElementTypes.byteSize(dtypeType)
                let storageBytes = storage.elementCount * PyTorchElementTypes.byteSize(type)
                let baseBytes = storage.elementBase * PyTorchElementTypes.byteSize(type)
                guard baseBytes % size == 0 else { throw problem(name, "storage view is not aligned to \(dtypeName)") }
                available = storageBytes / size
                base = baseBytes / size
                type = dtypeType
            }
        }
        // Highest element index the view touches, with overflow checks; an empty view touches nothing.
        if !shape.contains(0) {
            var last = offset
            for (size, stride) in zip(shape, strides) {
                let (span, spanOverflow) = (size - 1).multipliedReportingOverflow(by: stride)
                let (sum, sumOverflow) = last.addingReportingOverflow(span)
                guard !spanOverflow, !sumOverflow else { throw problem(name, "size/stride overflow") }
                last = sum
            }
            guard last < available else {
                throw problem(name, "view (offset \(offset), size \(shape), stride \(strides)) needs \(last + 1) "
                    + "elements but its storage holds \(available)")
            }
        } else {
            guard offset <= available else { throw problem(name, "offset \(offset) is past its storage of \(available)") }
        }
        return TensorRecord(name: name, type: type, shape: shape, strides: strides,
                            elementOffset: base + offset, storage: storage.reference)
    }

    /// The storage a persistent id names, resolved once per key.
    mutating func storage(_ value: PickleValue, name: String) throws -> PyTorchStorage {
        guard let box = graph.container(value), box.kind == .persistentID, let idValue = box.items.first,
              let fields = graph.sequence(idValue), fields.count >= 5, fields[0] == .string("storage") else {
            // Protocol 0 writes a persistent id as the text of the tuple; torch.load cannot read that back either.
            if let box = graph.container(value), box.kind == .persistentID, case .string? = box.items.first {
                throw problem(name, "the storage id is text (pickle_protocol=0), which torch.load cannot read back "
                              + "either; re-save with the default protocol")
            }
            throw problem(name, "storage is \(graph.describe(value)), not a persistent storage id")
        }
        guard case .global(_, let className) = fields[1] else {
            throw problem(name, "storage type is \(graph.describe(fields[1]))")
        }
        guard let key = Self.nameSegment(fields[2]), !key.isEmpty else { throw problem(name, "storage key is \(graph.describe(fields[2]))") }
        guard case .int(let count) = fields[4], count >= 0 else {
            throw problem(name, "storage size is \(graph.describe(fields[4]))")
        }
        var view: (key: String, offset: Int, count: Int)?
        if fields.count > 5, let viewFields = graph.sequence(fields[5]) {
            guard viewFields.count == 3, let viewKey = Self.nameSegment(viewFields[0]),
                  case .int(let viewOffset) = viewFields[1], case .int(let viewCount) = viewFields[2],
                  viewOffset >= 0, viewCount >= 0 else { throw problem(name, "bad storage view metadata") }
            view = (viewKey, viewOffset, viewCount)
        }
        let cacheKey = view.map { "\(key)@\($0.key)" } ?? key
        if let known = storages[cacheKey] { return known }
        let location = fields[3].stringValue ?? ""
        let resolved: PyTorchStorage
        do {
            resolved = try resolve(PyTorchStorageID(className: className, key: key, location: location,
                                                    elementCount: count, view: view))
        } catch let error as ModelFileError {
            throw problem(name, error.message)
        }
        storages[cacheKey] = resolved
        return resolved
    }
}
