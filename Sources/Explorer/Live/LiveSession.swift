import NNModules

/// A model that runs on input a person types (texts for a transformer), opened live by the explorer instead of a
/// .nn spec. The explorer owns the keys and the tree; the session owns the input, the forward and backward passes
/// and what the model says, as lines of text.
public protocol LiveSession: AnyObject {
    /// The model, with its parameters under the library's own names (transformers' for a transformer).
    var module: Module { get }
    /// A short description of what the model does ("causal LM", "masked LM", "sentence embeddings").
    var taskDescription: String { get }
    /// What `i` asks for, as the prompt's label.
    var inputPrompt: String { get }
    /// The current input as the prompt pre-fills it.
    var inputText: String { get }
    /// The current input as the header shows it after its shape (`tokens: …`, `image: cat.png`); nil before any.
    var inputSummary: String? { get }
    /// The shape of the model's input batch (token ids [B, T]), nil before any input.
    var inputShape: [Int]? { get }
    /// The loss `b` computes, as the header names it.
    var lossName: String { get }
    /// Takes the typed input; returns a one-line status.
    func setInput(_ text: String) throws -> String
    /// Runs forward without gradients; the model's predictions as lines and a status line.
    func forward() throws -> LiveOutcome
    /// Runs forward, computes the loss and runs backward (gradients accumulate in the parameters).
    func backward() throws -> LiveOutcome
    /// Whether `r` draws a new random input (an ONNX graph's); otherwise `r` asks for typed input, as `i` does.
    var drawsRandomInput: Bool { get }
    /// Draws a new random input; returns a one-line status.
    func drawRandomInput() throws -> String
    /// The inputs and outputs the model declares, for the header (an ONNX graph's, with symbolic shapes); nil
    /// when the model declares none.
    var signature: ModelSignature? { get }
    /// `L`: changes what `b` differentiates, if the model offers a choice; returns a one-line status.
    func cycleLoss() throws -> String
    /// What the first status line adds about how the model was opened (tensors of the file it left out); nil
    /// when there is nothing to say.
    var openingNote: String? { get }
}

extension LiveSession {
    public var drawsRandomInput: Bool { false }

    public func drawRandomInput() throws -> String {
        throw ExplorerError("r: this model takes typed input: press i")
    }

    public var signature: ModelSignature? { nil }

    public var openingNote: String? { nil }

    public func cycleLoss() throws -> String {
        throw ExplorerError("L: the loss of a \(taskDescription) model is its \(lossName) loss (b runs it)")
    }
}

/// What one forward or backward pass of a live session produced.
public struct LiveOutcome: Equatable, Sendable {
    /// One line for the status bar.
    public var status: String
    /// The predictions, as the detail pane lists them.
    public var lines: [String]
    /// The loss, for a backward pass.
    public var loss: Float?

    /// An outcome.
    public init(status: String, lines: [String], loss: Float? = nil) {
        self.status = status
        self.lines = lines
        self.loss = loss
    }
}
