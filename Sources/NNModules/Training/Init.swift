import NNCore

/// A way to fill a tensor with initial values, in place and without recording a graph (PyTorch's
/// `nn.init.*_`). Apply one to a tensor (`try Init.normal(std: 0.01)(weight)`) or to every Linear layer of a
/// network (`try net.apply(Init.linear(weight: .xavierUniform(), bias: .zeros))`).
///
/// Random inits draw from the process-wide generator (`Tensor.manualSeed` makes runs reproducible) unless
/// given a generator.
public struct Init: Sendable {
    /// The name the explorer shows (`normal(0, 0.01)`).
    public let name: String
    private let values: @Sendable (_ shape: [Int], _ generator: inout SeededGenerator) throws -> Tensor

    /// An init computing new values of a given shape from a generator; `values` must return that shape.
    public init(name: String, values: @escaping @Sendable (_ shape: [Int], _ generator: inout SeededGenerator) throws -> Tensor) {
        self.name = name
        self.values = values
    }

    /// Fills `tensor` in place, drawing from the process-wide generator.
    public func callAsFunction(_ tensor: Tensor) throws {
        // Draw a seed and release the shared generator before running `values`, which may be user code.
        var generator = SeededGenerator(seed: Tensor.withDefaultGenerator { $0.next() })
        try callAsFunction(tensor, generator: &generator)
    }

    /// Fills `tensor` in place, drawing from `generator`.
    public func callAsFunction(_ tensor: Tensor, generator: inout SeededGenerator) throws {
        let fresh = try values(tensor.shape, &generator)
        guard fresh.shape == tensor.shape else {
            throw ModuleError(.shapeMismatch,
                              "Init \(name): produced shape \(LazyShape(known: fresh.shape)) for a tensor of shape \(LazyShape(known: tensor.shape))")
        }
        try Autograd.noGrad { try tensor.copyData(from: fresh) }
    }

    // MARK: The book's inits

    /// Normal samples with `mean` and `std` (`nn.init.normal_`).
    public static func normal(mean: Float = 0, std: Float = 1) -> Init {
        Init(name: "normal(\(mean), \(std))") { shape, generator in
            Tensor.normal(shape, mean: mean, std: std, generator: &generator)
        }
    }

    /// Uniform samples in [low, high) (`nn.init.uniform_`).
    public static func uniform(low: Float = 0, high: Float = 1) -> Init {
        Init(name: "uniform(\(low), \(high))") { shape, generator in
            Tensor.uniform(shape, low: low, high: high, generator: &generator)
        }
    }

    /// Every element `value` (`nn.init.constant_`).
    public static func constant(_ value: Float) -> Init {
        Init(name: "constant(\(value))") { shape, _ in Tensor.full(shape, value: value) }
    }

    /// Every element 0 (`nn.init.zeros_`).
    public static let zeros = Init(name: "zeros") { shape, _ in Tensor.zeros(shape) }

    /// Every element 1 (`nn.init.ones_`).
    public static let ones = Init(name: "ones") { shape, _ in Tensor.ones(shape) }

    /// Xavier/Glorot uniform: bound `gain·√(6 / (fan_in + fan_out))` (`nn.init.xavier_uniform_`); needs ≥ 2-d.
    public static func xavierUniform(gain: Float = 1) -> Init {
        Init(name: "xavier") { shape, generator in
            let (fanIn, fanOut) = try fans(shape, init: "xavier")
            let bound = gain * (6 / Float(max(fanIn + fanOut, 1))).squareRoot()
            return Tensor.uniform(shape, low: -bound, high: bound, generator: &generator)
        }
    }

    /// Kaiming/He uniform for leaky ReLU slope `a`: bound `√(6 / ((1 + a²)·fan_in))`
    /// (`nn.init.kaiming_uniform_`). The default a = √5 is PyTorch's Linear weight init: bound 1/√fan_in.
    public static func kaimingUniform(a: Float = Float(5).squareRoot()) -> Init {
        Init(name: "kaiming") { shape, generator in
            let (fanIn, _) = try fans(shape, init: "kaiming")
            let bound = fanIn > 0 ? (6 / ((1 + a * a) * Float(fanIn))).squareRoot() : 0
            return Tensor.uniform(shape, low: -bound, high: bound, generator: &generator)
        }
    }

    /// An init from a closure that fills a tensor in place (it runs without recording a graph), for the book's
    /// custom `my_init`.
    public static func custom(_ name: String = "custom",
                              _ fill: @escaping @Sendable (_ tensor: Tensor, _ generator: inout SeededGenerator) throws -> Void) -> Init {
        Init(name: name) { shape, generator in
            let tensor = Tensor.zeros(shape)
            try Autograd.noGrad { try fill(tensor, &generator) }
            return tensor
        }
    }

    // MARK: By name

    /// The names `named(_:value:)` knows.
    public static let names = ["normal", "zeros", "ones", "constant", "uniform", "xavier", "kaiming"]

    /// The init called `name`: "normal" (std `value` or 0.01, the book's), "zeros", "ones", "constant" (`value`
    /// or 1), "uniform" (±`value` or ±1), "xavier", "kaiming" (PyTorch's Linear default).
    public static func named(_ name: String, value: Float? = nil) throws -> Init {
        switch name.lowercased() {
        case "normal": return normal(mean: 0, std: value ?? 0.01)
        case "zeros", "zero": return zeros
        case "ones": return ones
        case "constant": return constant(value ?? 1)
        case "uniform": return uniform(low: -(value ?? 1), high: value ?? 1)
        case "xavier", "xavier-uniform", "xavier_uniform": return xavierUniform()
        case "kaiming", "kaiming-uniform", "kaiming_uniform", "default": return kaimingUniform()
        default:
            throw ModuleError(.invalidArgument,
                              "Init: unknown init '\(name)' (expected one of: \(names.joined(separator: ", ")))")
        }
    }

    // MARK: Applying to modules

    /// A closure for `Module.apply` that initialises every Linear layer's weight (and bias, when given) — the
    /// book's `init_normal`, `init_constant`, `init_xavier`. Uninitialised lazy layers are skipped.
    public static func linear(weight: Init, bias: Init? = nil) -> (Module) throws -> Void {
        { module in
            guard let linear = module as? Linear, linear.isInitialised else { return }
            try weight(try linear.weight)
            if let bias, let biasTensor = try linear.bias {
                try bias(biasTensor)
            }
        }
    }

    /// `(fan_in, fan_out)` as PyTorch computes them: dims 1 and 0 times the receptive field (dims 2…).
    static func fans(_ shape: [Int], init name: String) throws -> (Int, Int) {
        guard shape.count >= 2 else {
            throw ModuleError(.shapeMismatch,
                              "Init \(name): fan in and fan out need a tensor of at least 2 dimensions, got \(LazyShape(known: shape))")
        }
        let receptive = shape.dropFirst(2).reduce(1, *)
        return (shape[1] * receptive, shape[0] * receptive)
    }
}
