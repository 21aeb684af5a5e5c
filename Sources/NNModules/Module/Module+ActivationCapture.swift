import NNCore

extension Module {
    /// Whether an activation capture that keeps attention maps is filling during this module's current call.
    /// An attention module may check it before computing probabilities it would not otherwise need.
    public var isCapturingAttention: Bool {
        activeCall?.trace.capture?.capturesAttention ?? false
    }

    /// Hands the attention probabilities [batch, heads, queries, keys] of this module's current call to the
    /// activation capture, which keeps them (detached) under the call's path; without a capture, or outside a
    /// call of this module, it does nothing. Attention modules call it from inside their call.
    public func captureAttention(_ probabilities: Tensor) {
        guard let call = activeCall, let capture = call.trace.capture, capture.capturesAttention else { return }
        capture.keepAttention(probabilities, of: self, path: call.path)
    }
}
