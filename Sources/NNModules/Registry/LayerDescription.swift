import NNCore

/// Everything the library knows about one layer type, written once, beside the layer: its name, its constructor's
/// arguments in PyTorch's spelling with PyTorch's defaults, how they build the module, the parameters and buffers
/// it will hold (with their shapes, known before anything is allocated) and the activation it makes for an input
/// shape. `ModuleRegistry` builds modules from it, the spec language checks its memory budget with it before
/// allocating and before the dry forward, and `LayerDescriptionTests` checks every registered description against
/// the module it builds (its state dict and a real forward). No requirement has a default, so a layer that leaves
/// one out does not compile.
public protocol LayerDescription: Sendable {
    /// The bound, checked arguments (Conv2d's sizes). Its `description` names the layer in messages, as the call
    /// reads in PyTorch (`Conv2d(3, 8, kernel_size=(3, 3))`).
    associatedtype Configuration: CustomStringConvertible

    /// The type name, as PyTorch and the spec language spell it (`Conv2d`).
    var name: String { get }
    /// The constructor's arguments in PyTorch's order, with PyTorch's defaults.
    var arguments: [LayerArgument] { get }
    /// Reads the bound arguments (defaults filled in); throws a `ModuleError` naming the layer for a wrong one. It
    /// checks what `tensors` and `activation` need to be safe arithmetic (a positive group count).
    func configuration(_ arguments: ArgumentBinder) throws -> Configuration
    /// The parameters and buffers the module will hold, in the order it registers them, with their shapes (an
    /// unknown dimension for a size only the first input tells, as a lazy layer's).
    func tensors(_ configuration: Configuration) -> [LayerTensor]
    /// What the module makes from an input of shape `input`: its output's shape and the largest buffer it makes
    /// on the way. Throws a `ModuleError` (`.shapeMismatch`) when the input does not fit, as the forward would,
    /// and `ActivationTooLarge` for a size that cannot be counted. A container follows its children with `walk`.
    func activation(_ configuration: Configuration, input: [Int], walk: ActivationWalk) throws -> LayerActivation
    /// Builds the module.
    func make(_ configuration: Configuration) throws -> Module
    /// Calls to build and inputs to run the layer with: `LayerDescriptionTests` checks `tensors` against each
    /// built module's state dict and `activation` against a real forward on each input.
    func examples() throws -> [LayerExample]
}

/// One constructor argument: PyTorch's name and default.
public struct LayerArgument {
    /// What an argument is when it is not given.
    public enum Default {
        /// It must be given.
        case required
        /// PyTorch's `None`: absent (`stride` of a pool, `padding_idx`).
        case none
        /// This value.
        case value(ModuleArgument)
    }

    /// PyTorch's name (`kernel_size`).
    public let name: String
    /// PyTorch's default.
    public let defaultValue: Default
    /// Whether PyTorch gives an explicit `None` a meaning of its own (BatchNorm's `momentum=None`: a cumulative
    /// average). Elsewhere `None` means the default, as the spec language has always read it (`dim=None`).
    public let noneIsAValue: Bool

    /// An argument named `name` with PyTorch's default.
    public init(_ name: String, _ defaultValue: Default, noneIsAValue: Bool = false) {
        self.name = name
        self.defaultValue = defaultValue
        self.noneIsAValue = noneIsAValue
    }

    /// A container's children: any number of modules, by position or by name (`Sequential`); its description
    /// reads them from `ArgumentBinder.arguments`.
    public static var modules: LayerArgument { LayerArgument("*modules", .none) }

    /// An argument that must be given.
    public static func required(_ name: String) -> LayerArgument { LayerArgument(name, .required) }
}

/// A parameter or buffer a layer will hold.
public struct LayerTensor: Equatable, Sendable, CustomStringConvertible {
    /// Its name in the layer's state dict (`weight`, `running_mean`, `hidden.weight` for a child's).
    public let name: String
    /// Its shape; unknown dimensions are sizes only the first input tells.
    public let shape: LazyShape
    /// Whether it is a buffer (state, not trained) rather than a parameter.
    public let isBuffer: Bool

    /// A parameter or buffer of a known or lazy shape.
    public init(_ name: String, _ shape: LazyShape, isBuffer: Bool = false) {
        self.name = name
        self.shape = shape
        self.isBuffer = isBuffer
    }

    /// A parameter or buffer of a known shape.
    public init(_ name: String, _ shape: [Int], isBuffer: Bool = false) {
        self.init(name, LazyShape(known: shape), isBuffer: isBuffer)
    }

    /// `weight [8, 3]`.
    public var description: String { "\(name) \(shape)" }
}

/// What a layer makes from one input.
public struct LayerActivation: Equatable, Sendable {
    /// The output's shape.
    public let output: [Int]
    /// Elements of the largest buffer made on the way besides the output (a convolution's unfolded windows, a
    /// network's hidden layer); 0 when there is none.
    public let largestIntermediate: Int

    /// An output of shape `output`, with an intermediate buffer of `largestIntermediate` elements.
    public init(output: [Int], largestIntermediate: Int = 0) {
        self.output = output
        self.largestIntermediate = largestIntermediate
    }
}

/// A call to build a layer with and an input to run it on.
public struct LayerExample {
    /// The call's arguments.
    public let arguments: ModuleArguments
    /// An input the built module accepts.
    public let input: Tensor

    /// An example call and input.
    public init(_ arguments: ModuleArguments, input: Tensor) {
        self.arguments = arguments
        self.input = input
    }

    /// An example call with a random input of shape `shape` (values in [0, 1), reproducible).
    public init(_ arguments: ModuleArguments, inputShape shape: [Int]) {
        var generator = SeededGenerator(seed: 17)
        self.init(arguments, input: Tensor.uniform(shape, low: 0, high: 1, generator: &generator))
    }
}

/// A size an activation would have that no `Int` can count (a padding near `Int.max`).
public struct ActivationTooLarge: Error, CustomStringConvertible {
    /// The layer, as its configuration reads.
    public let layer: String
    /// `Conv2d(…): an activation too large to count`.
    public var description: String { "\(layer): an activation too large to count" }
}

/// A module the walk cannot follow: it was not made from a `LayerDescription` (a Swift user's own factory).
public struct UndescribedModule: Error, CustomStringConvertible {
    /// The module's type name.
    public let typeName: String
    /// `Custom has no layer description`.
    public var description: String { "\(typeName) has no layer description" }
}

/// Follows an input's shape through a tree of modules the registry made, by their descriptions, without running
/// anything: each module's activation is handed to `visit` (children before their container), which can refuse
/// it by throwing.
public struct ActivationWalk {
    private let visit: (Module, LayerActivation) throws -> Void

    /// A walk that hands every module's activation to `visit`.
    public init(visit: @escaping (Module, LayerActivation) throws -> Void) {
        self.visit = visit
    }

    /// The output shape of `module` for an input of shape `input`. Throws `UndescribedModule` for a module not
    /// made from a description, a `ModuleError` when the input does not fit, `ActivationTooLarge`, or what
    /// `visit` throws.
    public func output(of module: Module, input: [Int]) throws -> [Int] {
        guard let rule = module.describedActivation else { throw UndescribedModule(typeName: module.typeName) }
        let activation = try rule(input, self)
        try visit(module, activation)
        return activation.output
    }
}

/// Shape arithmetic that reports a size no `Int` can hold instead of trapping.
public enum CheckedSize {
    /// `a · b`, or `ActivationTooLarge` naming `layer`.
    public static func product(_ values: [Int], layer: @autoclosure () -> String) throws -> Int {
        var result = 1
        for value in values {
            let (next, overflow) = result.multipliedReportingOverflow(by: Swift.max(value, 0))
            guard !overflow else { throw ActivationTooLarge(layer: layer()) }
            result = next
        }
        return result
    }

    /// `a + b`, or `ActivationTooLarge` naming `layer`.
    public static func sum(_ a: Int, _ b: Int, layer: @autoclosure () -> String) throws -> Int {
        let (result, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw ActivationTooLarge(layer: layer()) }
        return result
    }
}

extension Module {
    /// The activation rule of the description this module was made from (nil for a module made otherwise).
    typealias ActivationRule = ([Int], ActivationWalk) throws -> LayerActivation
}
