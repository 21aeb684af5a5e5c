import NNCore
import NNModules

/// Evaluates a parsed .nn document into a `ModelSpec`.
///
/// Each name is evaluated once, so every use of a name is the same module instance (tied parameters).
/// Sizes are checked against `SpecLimits.maxElements` before anything is allocated.
final class SpecBuilder {
    let document: SpecDocument
    let limits: SpecLimits
    let registry: ModuleRegistry
    /// Every random value of the spec (input, target) comes from here, seeded by `seed =`.
    var generator: SeededGenerator
    let seed: UInt64
    /// The value of every statement evaluated so far.
    private var values: [String: SpecValue] = [:]
    /// Elements reserved so far (parameters, buffers, input, target), against `limits.maxElements`.
    private(set) var elementsReserved = 0
    /// Parameters of lazy layers, whose input widths are only known at the dry forward.
    var lazyTensors: [LazyTensorBound] = []
    /// Where each module was made, so a shape error in the dry forward points at the call that made the layer.
    var moduleLocations: [ObjectIdentifier: SpecLocation] = [:]
    /// Each module's call as its description reads it (`Conv2d(3, 8, kernel_size=(3, 3))`), for messages.
    var moduleLabels: [ObjectIdentifier: String] = [:]

    init(document: SpecDocument, limits: SpecLimits, registry: ModuleRegistry) throws(SpecError) {
        self.document = document
        self.limits = limits
        self.registry = registry
        let seed = try SpecBuilder.seed(of: document)
        self.seed = seed
        self.generator = SeededGenerator(seed: seed)
    }

    func error(_ message: String, at location: SpecLocation) -> SpecError {
        SpecError(message, at: location, file: document.file)
    }

    /// The seed is read before anything else so every random value depends on it, wherever the line is.
    private static func seed(of document: SpecDocument) throws(SpecError) -> UInt64 {
        guard let statement = document.statement(named: SpecDocument.ReservedName.seed) else { return 0 }
        guard case .integer(let value, _) = statement.value, value >= 0 else {
            throw SpecError("seed must be a non-negative integer literal, e.g. seed = 7", at: statement.value.location,
                            file: document.file)
        }
        return UInt64(value)
    }

    func build() throws(SpecError) -> ModelSpec {
        // Layer initialisation draws from a generator of this build's own, seeded with the spec's seed: the same
        // weights every time, even while other models are built on other threads.
        try Tensor.withSeededGenerator(seed) { () throws(SpecError) -> ModelSpec in try buildSeeded() }
    }

    private func buildSeeded() throws(SpecError) -> ModelSpec {
        var input: Tensor?
        var target: Tensor?
        var loss: Loss?
        var learningRate: Float?
        for statement in document.statements {
            let value: SpecValue
            switch statement.name {
            case SpecDocument.ReservedName.seed:
                value = .integer(Int(seed))
            case SpecDocument.ReservedName.loss:
                loss = try lossValue(statement.value)
                continue
            case SpecDocument.ReservedName.learningRate:
                learningRate = try learningRateValue(statement.value)
                continue
            case SpecDocument.ReservedName.input, SpecDocument.ReservedName.target:
                let tensor = try tensorValue(statement)
                if statement.name == SpecDocument.ReservedName.input { input = tensor } else { target = tensor }
                value = .tensor(tensor)
            default:
                value = try evaluate(statement.value)
            }
            values[statement.name] = value
        }
        guard let modelStatement = document.statement(named: SpecDocument.ReservedName.model) else {
            throw error("expected a 'model = …' statement; this file defines no model", at: .start)
        }
        guard case .module(let model)? = values[SpecDocument.ReservedName.model] else {
            let kind = values[SpecDocument.ReservedName.model]?.kindDescription ?? "nothing"
            throw error("model must be a module such as Sequential(…) or MLP(), got \(kind)",
                        at: modelStatement.value.location)
        }
        if let loss, loss.needsTarget, target == nil {
            let statement = document.statement(named: SpecDocument.ReservedName.loss)
            throw error("loss \(loss.rawValue) needs a target: add e.g. "
                        + (loss == .mse ? "target = rand(2, 1)" : "target = randint(0, 10, 2)"),
                        at: statement?.value.location ?? .start)
        }
        var output: Tensor?
        if let input {
            output = try dryForward(model, input: input, statement: modelStatement)
            if let output, let target, let loss {
                try checkTarget(target, against: output, loss: loss)
            }
        }
        return ModelSpec(model: model, input: input, target: target, loss: loss, seed: seed,
                         learningRate: learningRate, sourcePath: document.file, document: document, output: output)
    }

    // MARK: - Expressions

    func evaluate(_ expression: SpecExpression) throws(SpecError) -> SpecValue {
        switch expression {
        case .name(let name, let location):
            guard let value = values[name] else {
                // The parser checks names; settings (loss, lr) are not values other statements can use.
                throw error("'\(name)' cannot be used as a value here", at: location)
            }
            return value
        case .integer(let value, _): return .integer(value)
        case .float(let value, _): return .float(value)
        case .bool(let value, _): return .bool(value)
        case .string(let value, _): return .string(value)
        case .list(let elements, _):
            var result: [SpecValue] = []
            for element in elements { result.append(try evaluate(element)) }
            return .list(result)
        case .call(let name, let positional, let keyword, let location):
            if SpecBuilder.tensorMakers.contains(name) {
                return .tensor(try makeTensor(name, positional: positional, keyword: keyword, location: location))
            }
            var positional = positional
            var keyword = keyword
            if name == "Sequential", keyword.isEmpty, positional.count == 1,
               case .call("OrderedDict", let pairs, let named, let dictLocation) = positional[0] {
                positional = []
                keyword = try orderedDictEntries(pairs, named, at: dictLocation)
            }
            let module = try makeModule(name, positional: positional, keyword: keyword, location: location)
            if moduleLocations[ObjectIdentifier(module)] == nil {
                moduleLocations[ObjectIdentifier(module)] = location
            }
            return .module(module)
        }
    }

    /// PyTorch's `Sequential(OrderedDict([("fc1", Linear(4, 8)), ("act", ReLU())]))` (or `OrderedDict(fc1=…)`)
    /// names its children; it means `Sequential(fc1=Linear(4, 8), act=ReLU())`.
    private func orderedDictEntries(_ positional: [SpecExpression], _ keyword: [SpecKeywordArgument],
                                    at location: SpecLocation) throws(SpecError) -> [SpecKeywordArgument] {
        guard positional.count <= 1 else {
            throw error("OrderedDict takes one list of (name, module) pairs", at: location)
        }
        var entries: [SpecKeywordArgument] = []
        if let list = positional.first {
            guard case .list(let pairs, _) = list else {
                throw error("OrderedDict takes a list of (name, module) pairs, e.g. OrderedDict([(\"fc\", Linear(4, 2))])",
                            at: list.location)
            }
            for pair in pairs {
                guard case .list(let parts, _) = pair, parts.count == 2, case .string(let childName, let nameLocation) = parts[0]
                else {
                    throw error("each OrderedDict entry must be a (\"name\", module) pair", at: pair.location)
                }
                entries.append(SpecKeywordArgument(name: childName, location: nameLocation, value: parts[1]))
            }
        }
        return entries + keyword
    }

    // MARK: - Settings

    private func tensorValue(_ statement: SpecStatement) throws(SpecError) -> Tensor {
        if case .list = statement.value {
            return try makeTensor(fromList: statement.value)
        }
        // `torch.tensor([[0.5, 1.0]])`: the literal list, written as PyTorch code writes it.
        if case .call("tensor", let positional, let keyword, _) = statement.value, keyword.isEmpty, positional.count == 1,
           case .list = positional[0] {
            return try makeTensor(fromList: positional[0])
        }
        guard case .tensor(let tensor) = try evaluate(statement.value) else {
            throw error("\(statement.name) must be a tensor: rand, randn, zeros or ones with a shape"
                        + (statement.name == SpecDocument.ReservedName.target ? ", randint(low, high, size) or a list" : ""),
                        at: statement.value.location)
        }
        return tensor
    }

    private func lossValue(_ expression: SpecExpression) throws(SpecError) -> Loss {
        let word: String
        switch expression {
        case .name(let name, _), .string(let name, _): word = name
        // PyTorch's loss modules, as a PyTorch user writes them: `loss = nn.CrossEntropyLoss()`.
        case .call("CrossEntropyLoss", let positional, let keyword, _) where positional.isEmpty && keyword.isEmpty:
            word = Loss.crossEntropy.rawValue
        case .call("MSELoss", let positional, let keyword, _) where positional.isEmpty && keyword.isEmpty:
            word = Loss.mse.rawValue
        default:
            throw error("loss must be one of sum, mean, mse, cross-entropy, got \(expression.kindDescription)",
                        at: expression.location)
        }
        guard let loss = try? Loss(parsing: word) else {
            throw error("unknown loss '\(word)'; expected sum, mean, mse or cross-entropy"
                        + SpecSuggestion.hint(for: word, among: Loss.allCases.map(\.rawValue)),
                        at: expression.location)
        }
        return loss
    }

    private func learningRateValue(_ expression: SpecExpression) throws(SpecError) -> Float {
        let value: Double
        switch expression {
        case .float(let number, _): value = number
        case .integer(let number, _): value = Double(number)
        default:
            throw error("lr must be a number, e.g. lr = 0.1, got \(expression.kindDescription)", at: expression.location)
        }
        guard value >= 0, Float(value).isFinite else {
            throw error("lr must be a finite number ≥ 0, got \(value)", at: expression.location)
        }
        return Float(value)
    }

    // MARK: - Sizes

    /// Counts `shape`'s elements against the budget before they are allocated; returns the count.
    @discardableResult
    func reserveElements(for shape: [Int], what: String, at location: SpecLocation) throws(SpecError) -> Int {
        let count = try elementCount(of: shape, what: what, at: location)
        try reserve(count, what: what, at: location)
        return count
    }

    /// The number of elements of `shape`, or an error naming `what` when it cannot be counted.
    func elementCount(of shape: [Int], what: String, at location: SpecLocation) throws(SpecError) -> Int {
        var count = 1
        for size in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: Swift.max(size, 0))
            guard !overflow else {
                throw error("\(what) is too large: more elements than can be counted; the limit is "
                            + "\(limits.maxElements) elements", at: location)
            }
            count = product
        }
        return count
    }

    /// Reserves `count` elements (already overflow-checked) against the budget.
    func reserve(_ count: Int, what: String, at location: SpecLocation) throws(SpecError) {
        let (total, overflow) = elementsReserved.addingReportingOverflow(count)
        guard !overflow, total <= limits.maxElements else {
            throw error("\(what) needs \(count) elements, which with the \(elementsReserved) already used exceeds the "
                        + "limit of \(limits.maxElements) elements (\(limits.maxElements / (1 << 18)) MiB of Float32)",
                        at: location)
        }
        elementsReserved = total
    }
}
