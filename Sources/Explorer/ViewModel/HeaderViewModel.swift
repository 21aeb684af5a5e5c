/// What the header line shows: the model, its totals, the training settings and the last loss.
public struct HeaderViewModel: Equatable, Sendable {
    /// Short model name ("tied", "model.safetensors").
    public var modelName: String
    /// Where the model came from ("built-in examples/tied.nn", a path).
    public var source: String
    /// The weights file bound to a spec, if any.
    public var weightsSource: String?
    /// "live" for a model that runs, "browse" for a weights file opened alone.
    public var modeLabel: String
    /// Elements of every distinct parameter and buffer (a tied tensor counted once; lazy ones not yet counted).
    public var totalParameterCount: Int
    /// Elements of the distinct trainable parameters (buffers excluded).
    public var trainableParameterCount: Int
    /// Lazy parameters whose size is not known yet (their elements are missing from the totals).
    public var uninitialisedParameterCount: Int
    /// The selected loss ("sum", "mean", "mse", "cross-entropy"); nil in browse mode.
    public var lossName: String?
    /// The loss of the last step, if any.
    public var lastLoss: Float?
    /// Whether the model, input or loss changed since `lastLoss` was computed.
    public var lastLossIsStale = false
    /// Every loss computed by a full step, oldest first (for a sparkline).
    public var lossHistory: [Float]
    /// The shape of the current input batch, nil without one.
    public var inputShape: [Int]?
    /// A live session's input after its shape (`tokens: The Ġcapital …`, `image: cat.png`), nil otherwise.
    public var inputTokens: String? = nil
    /// The inputs and outputs the model declares (an ONNX graph's, with symbolic shapes), nil otherwise.
    public var signature: ModelSignature? = nil
    /// The learning rate used by the SGD step.
    public var learningRate: Float
    /// Backward passes accumulated since the gradients were last zeroed.
    public var backwardPassesSinceZero: Int
    /// True when there are changes (edits or SGD steps) not yet saved.
    public var hasUnsavedEdits: Bool
}

/// The inputs and outputs a model declares, as the header lists them: `input_ids [batch, sequence] INT64` and
/// `logits [batch, sequence, 50257] FLOAT`.
public struct ModelSignature: Equatable, Sendable {
    /// Each input with its (symbolic) shape and element type, comma-separated.
    public var inputs: String
    /// Each output likewise.
    public var outputs: String

    public init(inputs: String, outputs: String) {
        self.inputs = inputs
        self.outputs = outputs
    }
}
