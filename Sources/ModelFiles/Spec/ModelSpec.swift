import Foundation
import NNCore
import NNModules

/// A model described by a .nn file, built and checked: the module tree, the default batch and the training
/// settings the file gives.
///
/// ```swift
/// let spec = try ModelSpec.load(path: "examples/tied.nn")
/// let output = try spec.model(spec.input!)
/// ```
public struct ModelSpec {
    /// The model (`model = …`), with lazy layers already materialised by a dry forward of `input` when one is given.
    public let model: Module
    /// The default batch (`input = rand(2, 4)`), made with `seed`.
    public let input: Tensor?
    /// The target for `mse` or `cross-entropy` (`target = randint(0, 10, 2)` or `[3, 1]`).
    public let target: Tensor?
    /// The loss (`loss = mse`); nil when the file does not say.
    public let loss: Loss?
    /// The seed used for every random value of the spec (0 when the file does not say).
    public let seed: UInt64
    /// The learning rate (`lr = 0.1`); nil when the file does not say.
    public let learningRate: Float?
    /// The file the spec came from (`"<string>"` for sources given in memory).
    public let sourcePath: String
    /// The parsed file.
    public let document: SpecDocument
    /// The output of the dry forward pass of `input` (nil without input).
    public let output: Tensor?

    /// Memberwise, for the builder.
    init(model: Module, input: Tensor?, target: Tensor?, loss: Loss?, seed: UInt64, learningRate: Float?,
         sourcePath: String, document: SpecDocument, output: Tensor?) {
        self.model = model
        self.input = input
        self.target = target
        self.loss = loss
        self.seed = seed
        self.learningRate = learningRate
        self.sourcePath = sourcePath
        self.document = document
        self.output = output
    }

    /// Reads, parses and builds the .nn file at `path`. Errors about the spec are `SpecError`s
    /// (`path:line:column: …`); a file that cannot be read is a `ModelFileError`.
    public static func load(path: String, limits: SpecLimits = .standard,
                            registry: ModuleRegistry = .shared) throws -> ModelSpec {
        let url = URL(fileURLWithPath: path)
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: path)
        } catch {
            throw ModelFileError("cannot open: no such file or not readable", file: path)
        }
        if (attributes[.type] as? FileAttributeType) == .typeDirectory {
            throw ModelFileError("is a folder, not a .nn file", file: path)
        }
        // Checked before reading so a huge file is refused without loading it.
        if let size = attributes[.size] as? Int, size > limits.maxFileBytes {
            throw SpecError("the file is \(size) bytes, more than the limit of \(limits.maxFileBytes)",
                            at: .start, file: path)
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ModelFileError("cannot read: \(error.localizedDescription)", file: path)
        }
        guard let source = String(data: data, encoding: .utf8) else {
            throw SpecError("the file is not UTF-8 text", at: .start, file: path)
        }
        return try parse(source, file: path, limits: limits, registry: registry)
    }

    /// Parses and builds a spec given as text; `file` names it in errors.
    public static func parse(_ source: String, file: String = "<string>", limits: SpecLimits = .standard,
                             registry: ModuleRegistry = .shared) throws(SpecError) -> ModelSpec {
        let document = try SpecParser.parse(source, file: file, limits: limits)
        return try build(document, limits: limits, registry: registry)
    }

    /// Builds a parsed document: evaluates every statement, then runs `input` through the model once without
    /// recording gradients, which materialises lazy layers and reports shapes that don't fit.
    public static func build(_ document: SpecDocument, limits: SpecLimits = .standard,
                             registry: ModuleRegistry = .shared) throws(SpecError) -> ModelSpec {
        try SpecBuilder(document: document, limits: limits, registry: registry).build()
    }
}
