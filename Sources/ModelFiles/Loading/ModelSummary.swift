import ModulePaths
import NNCore
import NNModules

/// What `nnview summary` shows: every named tensor with its shape, type and ties, the module tree with output
/// shapes when an input is known, and totals that count each shared tensor once.
///
/// A weights file is summarised from its header alone (no tensor data is read), so a huge checkpoint is instant.
public struct ModelSummary {
    /// One named tensor.
    public struct Parameter {
        /// The dotted name (`2.weight`).
        public var name: String
        /// The shape; nil entries are dimensions a lazy layer does not know yet.
        public var shape: [Int?]
        /// The element type's safetensors name (`F32`, `BF16`, `Q4_K`).
        public var dtype: String
        /// The number of elements; nil while the shape is incomplete.
        public var count: Int?
        /// The other names of the same tensor (tied weights), in order.
        public var sharedWith: [String]
        /// False for buffers (state that is not trained); true for parameters and for every tensor of a file.
        public var trainable: Bool
    }

    /// One module of a live model, or one folder of a weights file's dotted names.
    public struct ModuleRow {
        /// The dotted path ("" for a live model's root).
        public var name: String
        /// The number of dots in the path plus one (0 for the root).
        public var depth: Int
        /// The module's type (`LazyLinear`); nil for a weights file's folder.
        public var type: String?
        /// The output shape of the last call at this path in the forward pass of the input; nil without one.
        public var outputShape: [Int]?
        /// Elements of the tensors directly owned by this module (a live model) or below this folder (a file),
        /// each distinct tensor once; nil while a lazy parameter is uninitialised.
        public var parameterCount: Int?
        /// Other paths at which the same module instance sits (the tied network's `2` and `4`).
        public var sharedWith: [String]
        /// Whether the module owns parameters that are trained (nil when it owns none).
        public var trainable: Bool?
    }

    /// The model's name as given.
    public var name: String
    /// True for a spec (a live model), false for a weights file opened alone.
    public var isLive: Bool
    /// The format ("safetensors", "pytorch-zip", "spec", …).
    public var format: String
    /// Every name in state-dict (or file) order, ties listed under each of their names.
    public var parameters: [Parameter]
    /// Modules (live) or folders (file) in pre-order.
    public var modules: [ModuleRow]
    /// Elements of every distinct tensor, each shared tensor once.
    public var totalParameters: Int
    /// Elements of every distinct trainable tensor, each once.
    public var trainableParameters: Int
    /// Names whose shape is not known yet (lazy parameters without an input), which the totals leave out.
    public var unknownCount: Int
    /// The input's shape when the model was run to find output shapes.
    public var inputShape: [Int]?
    /// File metadata, in order.
    public var metadata: [(key: String, value: String)]
    /// For an ONNX file: inputs, outputs, opsets, producer and op counts.
    public var onnx: ONNXSection?

    /// Summarises what `ModelLoader.load` opened. A live model with an input runs it forward once (without
    /// gradients) to record each module's output shape.
    public init(_ loaded: LoadedModel) throws {
        name = loaded.name
        metadata = loaded.metadata
        switch loaded.content {
        case .live(let spec):
            isLive = true
            format = "spec"
            (parameters, modules, totalParameters, trainableParameters, unknownCount) = try Self.live(spec)
            inputShape = spec.input?.shape
        case .weights(let archive):
            isLive = false
            format = archive.format
            (parameters, modules, totalParameters, trainableParameters) = try Self.file(archive)
            unknownCount = 0
            inputShape = nil
            onnx = archive.onnx.map(ONNXSection.init)
        }
    }
}

extension ModelSummary {
    /// A weights file: names, shapes and types from the header; folders from the dotted names.
    static func file(_ archive: TensorArchive) throws -> ([Parameter], [ModuleRow], Int, Int) {
        let keys = archive.tieKeys
        var namesByKey: [String: [String]] = [:]
        for (record, key) in zip(archive.tensors, keys) { namesByKey[key, default: []].append(record.name) }
        var counts: [Int] = []
        var parameters: [Parameter] = []
        for (record, key) in zip(archive.tensors, keys) {
            let count = try checkedCount(record.shape, name: record.name, file: archive.source)
            counts.append(count)
            parameters.append(Parameter(name: record.name, shape: record.shape.map { $0 }, dtype: record.type.name,
                                        count: count, sharedWith: namesByKey[key, default: []].filter { $0 != record.name },
                                        trainable: true))
        }
        let total = try distinctTotal(keys.indices.map { (keys[$0], counts[$0]) }, file: archive.source)
        let tree = DottedNameTree(names: archive.tensors.map(\.name))
        var modules: [ModuleRow] = []
        for node in tree.nodes where node.leafIndex == nil || node.nameIndices.count > 1 {
            let below = try distinctTotal(node.nameIndices.map { (keys[$0], counts[$0]) }, file: archive.source)
            modules.append(ModuleRow(name: node.path, depth: node.depth + 1, type: nil, outputShape: nil,
                                     parameterCount: below, sharedWith: [], trainable: nil))
        }
        return (parameters, modules, total, total)
    }

    /// A live model: the state dict (every path, ties under each name), and every module path with its own
    /// tensors and the output shape of its last call when the spec has an input.
    static func live(_ spec: ModelSpec) throws -> ([Parameter], [ModuleRow], Int, Int, Int) {
        let root = spec.model
        var trace: ForwardTrace?
        if let input = spec.input {
            _ = try Autograd.noGrad { try root(input) }
            trace = root.lastForward
        }
        // A tensor's identity is the tensor object once it exists; before that, its lazy slot's (`ParameterSlot.identity`).
        var identities: [String] = []
        var parameters: [Parameter] = []
        for entry in root.stateDict() {
            if let tensor = entry.tensor {
                identities.append("t\(ObjectIdentifier(tensor))")
            } else {
                let (parentPath, leaf) = ModulePath.split(entry.name)
                let slot = root.module(at: parentPath)?.parameterSlot(leaf)
                identities.append(slot.map { "s\($0.identity)" } ?? "n\(entry.name)")
            }
            let shape = entry.shape.dimensions
            let count: Int? = entry.shape.completeShape.map { $0.reduce(1) { $0.multipliedReportingOverflow(by: $1).partialValue } }
            let dtype = entry.tensor?.dtype == .bool ? "BOOL" : (entry.tensor?.dtype == .int64 ? "I64" : "F32")
            parameters.append(Parameter(name: entry.name, shape: shape, dtype: dtype, count: count, sharedWith: [],
                                        trainable: !entry.isBuffer))
        }
        var namesByIdentity: [String: [String]] = [:]
        for (parameter, identity) in zip(parameters, identities) { namesByIdentity[identity, default: []].append(parameter.name) }
        for index in parameters.indices {
            parameters[index].sharedWith = namesByIdentity[identities[index], default: []].filter { $0 != parameters[index].name }
        }
        var seen = Set<String>()
        var total = 0
        var trainable = 0
        var unknown = 0
        for (parameter, identity) in zip(parameters, identities) where seen.insert(identity).inserted {
            guard let count = parameter.count else { unknown += 1; continue }
            total = total.addingReportingOverflow(count).partialValue
            if parameter.trainable { trainable = trainable.addingReportingOverflow(count).partialValue }
        }

        // Own tensors per module path: the state-dict entries whose parent is that path.
        var ownCount: [String: Int?] = [:]
        var ownTrainable: [String: Bool] = [:]
        for parameter in parameters {
            let parentPath = ModulePath.split(parameter.name).parent
            let previous: Int?? = ownCount[parentPath]
            switch (previous, parameter.count) {
            case (.none, let count): ownCount[parentPath] = count
            case (.some(.some(let sum)), .some(let count)): ownCount[parentPath] = sum + count
            default: ownCount[parentPath] = .some(nil)
            }
            if parameter.trainable { ownTrainable[parentPath] = true }
            else if ownTrainable[parentPath] == nil { ownTrainable[parentPath] = false }
        }
        // Every path that reaches a module, a shared instance listed at each of its paths but entered once.
        var modules: [ModuleRow] = []
        var pathsByInstance: [ObjectIdentifier: [String]] = [:]
        var stack: [(path: String, module: Module, depth: Int)] = [("", root, 0)]
        while let (path, module, depth) = stack.popLast() {
            let identity = ObjectIdentifier(module)
            let firstVisit = pathsByInstance[identity] == nil
            pathsByInstance[identity, default: []].append(path)
            modules.append(ModuleRow(name: path, depth: depth, type: module.typeName,
                                     outputShape: trace?.lastRecord(at: path)?.outputShape,
                                     parameterCount: ownCount[path] ?? 0, sharedWith: [],
                                     trainable: ownTrainable[path]))
            guard firstVisit else { continue }
            for (name, child) in module.childrenWithAllNames.reversed() {
                stack.append((ModulePath.join(path, name), child, depth + 1))
            }
        }
        for index in modules.indices {
            guard let instance = root.module(at: modules[index].name) else { continue }
            modules[index].sharedWith = pathsByInstance[ObjectIdentifier(instance), default: []].filter { $0 != modules[index].name }
        }
        return (parameters, modules, total, trainable, unknown)
    }

    /// The product of a file's shape, or an error naming the tensor if it overflows.
    static func checkedCount(_ shape: [Int], name: String, file: String) throws -> Int {
        try shape.reduce(1) { try CheckedArithmetic.multiply($0, $1, "element count of tensor \"\(name)\"", file: file) }
    }

    /// The sum of counts over distinct keys.
    static func distinctTotal(_ items: [(key: String, count: Int)], file: String) throws -> Int {
        var seen = Set<String>()
        var total = 0
        for item in items where seen.insert(item.key).inserted {
            total = try CheckedArithmetic.add(total, item.count, "the total element count", file: file)
        }
        return total
    }
}
