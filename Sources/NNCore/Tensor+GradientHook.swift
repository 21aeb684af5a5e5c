extension Tensor {
    /// Calls `hook` during the next backward pass with the gradient of the pass's root with respect to this
    /// tensor, once every use of it has been summed (PyTorch's `Tensor.register_hook`; keeping the gradient it
    /// passes is `retain_grad` for a non-leaf). The hook sees the gradient before it flows on to the inputs; it
    /// must not edit it. The gradient may share memory with gradients passed on, so a hook that keeps it past
    /// the pass keeps a copy (`clone()`; backward runs without recording).
    ///
    /// Only the output of a recorded op has a pass to join: returns false, and registers nothing, for a leaf,
    /// a tensor that needs no gradient, or one whose node a backward pass already freed. A hook costs nothing
    /// until backward reaches this tensor; tensors without hooks pay nothing at all.
    @discardableResult
    public func registerGradientHook(_ hook: @escaping (Tensor) -> Void) -> Bool {
        guard let node = gradFn, let rule = node.rule else { return false }
        // The hook wraps the node's rule: backward calls the rule exactly once, with the complete gradient.
        node.rule = { node, gradient in
            hook(gradient)
            return try rule(node, gradient)
        }
        return true
    }
}
