import NNCore

/// One module call's output as an `ActivationCapture` kept it, and after backward the gradient of the loss with
/// respect to that output (what PyTorch gives with a forward hook and `retain_grad`).
public struct ActivationRecord {
    /// The dotted path of the call site (`transformer.h.0`; "2" and "4" for one module shared at two indices;
    /// "" for the root).
    public let path: String
    /// Which call of this module instance it was during the forward pass, from 1: the book's tied network has
    /// "call 1 at 2" and "call 2 at 4", FixedHiddenMLP's `linear` "call 1 at linear" and "call 2 at linear".
    public let callNumber: Int
    /// The called module's type name (`GPT2Block`).
    public let typeName: String
    /// The module instance called, to find every call of a module shared under several paths.
    public let moduleID: ObjectIdentifier
    /// The output (for a structured output, its first tensor: the hidden states), detached: the forward
    /// trace's tensor, sharing memory with the output.
    public let output: Tensor
    /// ∂loss/∂output, filled by the next backward pass; nil before it, without a loss, when the forward did not
    /// record a graph, when the capture was made without gradients, or when the output did not reach the loss.
    public internal(set) var gradient: Tensor?

    /// "call 1 at 2" ("the root" for the path "").
    public var callLabel: String {
        "call \(callNumber) at \(path.isEmpty ? "the root" : path)"
    }
}

/// The attention probabilities [batch, heads, queries, keys] of one call of an attention module, as an
/// `ActivationCapture` kept them.
public struct AttentionRecord {
    /// The dotted path of the attention module's call (`transformer.h.0.attn`, `model.layers.1.self_attn`).
    public let path: String
    /// Which call of this module instance it was, from 1 (see `ActivationRecord.callNumber`).
    public let callNumber: Int
    /// The probabilities [B, heads, Tq, Tk], detached; row (b, h, q) sums to 1 over the keys it may see.
    public let probabilities: Tensor

    /// The number of heads (the second dimension).
    public var headCount: Int { probabilities.shape[1] }
}
