import ArgumentParser
import ModelFiles
import NNCore
import NNModules

extension Loss: ExpressibleByArgument {
    /// Accepts the names `Loss(parsing:)` accepts (sum, mean, mse, cross-entropy, ce, …).
    public init?(argument: String) {
        guard let loss = try? Loss(parsing: argument) else { return nil }
        self = loss
    }

    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

/// `nnview step MODEL --out R.safetensors`: training steps without a terminal, written in PyTorch's reference layout.
struct Step: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run training steps on a model and write the output, losses, gradients and parameters.",
        discussion: """
        Each step zeroes the gradients (unless --accumulate), runs forward, the loss and backward, then updates \
        p -= lr * grad when lr > 0. The result file holds `output` (the first step's output), `loss` (one value \
        per step), and `grad/NAME` and `param/NAME` after the last step for every parameter name, and `buffer/NAME` \
        for every buffer (BatchNorm's running statistics, after the last step).
        """)

    @OptionGroup var options: ModelOptions

    @Option(help: "A safetensors file holding `input` and optionally `target` (default: the spec's).")
    var input: String?

    @Option(help: "The loss (default: the spec's, else sum).")
    var loss: Loss?

    // Unconditional: `--steps -1` takes -1 as the value (then refused as not positive) instead of reading it as
    // an unknown option and saying the value is missing.
    @Option(parsing: .unconditional, help: "The number of steps (a positive integer).")
    var steps = 1

    @Option(help: "The learning rate (default: the spec's, else 0: gradients only).")
    var lr: Float?

    @Flag(help: "Keep adding gradients across steps instead of zeroing them.")
    var accumulate = false

    @Option(help: "Where to write the result (safetensors).")
    var out: String

    func validate() throws {
        guard steps >= 1 else { throw ValidationError("--steps must be a positive integer (1 or more), not \(steps)") }
        if let lr, !(lr >= 0 && lr.isFinite) { throw ValidationError("--lr must be a finite number >= 0, not \(lr)") }
        guard out.hasSuffix(".safetensors") else { throw ValidationError("--out must name a .safetensors file, not '\(out)'") }
    }

    func run() throws {
        for source in [options.model, options.weights, input].compactMap({ $0 })
            where CommandLineOutput.sameFile(source, out) {
            throw ModelFileError("is an input of this step; refusing to overwrite it with the result", file: out)
        }
        let loaded = try options.load()
        guard let spec = loaded.spec else {
            throw ModelFileError("step needs an architecture to run: a .nn spec or a built-in model (a weights file alone has none; bind it with --weights)",
                                 file: options.model)
        }
        var batch = spec.input
        var target = spec.target
        if let input {
            let tensors = try ModelFileReader.open(path: input).stateDict()
            guard let given = tensors["input"] else {
                throw ModelFileError("has no tensor named \"input\" (it has: \(tensors.keys.prefix(8).joined(separator: ", ")))", file: input)
            }
            batch = given
            target = tensors["target"] ?? target
        }
        guard let batch else {
            throw ModelFileError("the spec has no `input = …` and no --input file was given", file: spec.sourcePath)
        }
        let lossFunction = loss ?? spec.loss ?? .sum
        if lossFunction.needsTarget, target == nil {
            throw ModelFileError("the loss \(lossFunction) needs a target: add `target` to the --input file or `target = …` to the spec",
                                 file: input ?? spec.sourcePath)
        }
        let learningRate = lr ?? spec.learningRate ?? 0
        let result = try TrainingRun.run(model: spec.model, input: batch, target: target, loss: lossFunction,
                                         steps: steps, learningRate: learningRate, accumulate: accumulate)
        let withoutGradient = try result.write(to: out)
        let losses = result.losses.map { "\($0)" }
        print("\(loaded.name): \(steps) step\(steps == 1 ? "" : "s"), loss \(lossFunction), lr \(learningRate)"
            + (accumulate ? ", gradients accumulated" : "") + ": loss " + (losses.count <= 4 ? losses.joined(separator: ", ")
            : "\(losses[0]) … \(losses[losses.count - 1])"))
        print("wrote \(out): output, loss, \(result.gradients.count - withoutGradient.count) grad/ and \(result.parameters.count) param/ tensors"
            + (result.buffers.isEmpty ? "" : ", \(result.buffers.count) buffer/ tensors"))
        if !withoutGradient.isEmpty {
            CommandLineOutput.printError("nnview: warning: no gradient reached \(withoutGradient.joined(separator: ", ")); no grad/ entry written for them")
        }
        if let problem = result.firstNonFinite {
            CommandLineOutput.printError("nnview: warning: \(problem) is not finite (NaN or infinity)")
        }
    }
}
