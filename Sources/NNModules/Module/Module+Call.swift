import ModulePaths
import NNCore

extension Module {
    /// Runs `forward(x)` as a call of this module: ops are attributed to the call site's dotted path (the root
    /// is "", a child is its parent's path + "." + its name), and the call is recorded in the root's
    /// `lastForward`.
    public func callAsFunction(_ x: Tensor) throws -> Tensor {
        try call(x, as: nil)
    }

    /// Calls the direct child registered as `name` on `x`, attributing the call to that name. Containers where
    /// one instance sits under several names (Sequential) call their children this way.
    public func callChild(_ name: String, _ x: Tensor) throws -> Tensor {
        guard let child = child(name) else {
            throw ModuleError(.notFound, "\(summary): no child named '\(name)'")
        }
        return try child.call(x, as: name)
    }

    func call(_ x: Tensor, as explicitName: String?) throws -> Tensor {
        try scopedCall(inputShape: x.shape, as: explicitName, recordedOutput: { $0 }) {
            try forward(x)
        }
    }

    /// Runs `body` as a call of this module with any inputs and outputs, as PyTorch's `module(*args)` does:
    /// ops inside are attributed to the call site's dotted path (so a tied parameter's gradient splits per use),
    /// and the call is recorded in the forward trace with `inputShape` (the first input's shape) and the tensor
    /// `recordedOutput` picks from the result (the first tensor of a structured output, e.g. the hidden
    /// states). Modules with several inputs define typed entry points (`callAsFunction(inputIDs:attentionMask:)`)
    /// that wrap their computation in this; single-tensor modules keep `forward(_:)`.
    ///
    /// `explicitName` names the call site when the caller registered this module under several names; by
    /// default the caller's first name for it is used.
    public func scopedCall<Output>(inputShape: [Int], as explicitName: String? = nil,
                                   recordedOutput: (Output) -> Tensor?, _ body: () throws -> Output) throws -> Output {
        // The caller is the module that opened the innermost use site (NNCore keeps it for us with the path: one
        // value set per call, not two); its `activeCall` says where it was called from and which trace is being
        // filled.
        let parent = Autograd.currentUseSiteOwner as? Module
        let path: String
        let trace: ForwardTrace
        if let parent, let parentCall = parent.activeCall {
            // A module called from inside another's forward without being its child keeps the caller's path.
            let name = explicitName ?? parent.nameOfChild(self)
            path = name.map { ModulePath.join(parentCall.path, $0) } ?? parentCall.path
            trace = parentCall.trace
        } else {
            path = ""
            // The last trace lets go of its outputs: holding them while this pass makes its own kept two passes'
            // activations alive at once (GPT-2's 64-token forward peaked 50 MiB higher), as the activation capture
            // already forgets its previous pass here.
            lastForward?.forgetOutputs()
            trace = ForwardTrace(capture: activationCapture)
        }
        let index = trace.begin(path: path, typeName: typeName, inputShape: inputShape)
        // Saved and restored, so a module that (directly or not) calls itself sees its own call's path again.
        let outerCall = activeCall
        activeCall = ModuleActiveCall(path: path, trace: trace)
        defer { activeCall = outerCall }
        let output: Output
        do {
            output = try Autograd.withUseSite(path, owner: self) {
                try body()
            }
        } catch {
            // A failed pass is the last pass all the same: its trace shows where it stopped (the calls that finished
            // with their outputs, the calls that threw without an output shape), not the previous pass's calls.
            if parent == nil { lastForward = trace }
            throw error
        }
        let recorded = recordedOutput(output)
        trace.finish(index, output: recorded)
        if let capture = trace.capture, let recorded, let detached = trace.records[index].output {
            capture.keepOutput(of: self, path: path, output: recorded, detached: detached)
        }
        if parent == nil {
            lastForward = trace
        }
        return output
    }
}

extension Module {
    /// Runs `body` inside this container's scope without recording a call of it: for containers PyTorch never
    /// calls (a ModuleList's blocks are called by the model, one by one). Children called inside get paths under
    /// this container's (`transformer.h.0`), while the container itself gets no forward-trace record and no
    /// captured activation, as no forward hook of PyTorch's would fire for it.
    public func containerScope<Output>(_ body: () throws -> Output) throws -> Output {
        guard let parent = Autograd.currentUseSiteOwner as? Module, let parentCall = parent.activeCall else {
            return try body()
        }
        let path = parent.nameOfChild(self).map { ModulePath.join(parentCall.path, $0) } ?? parentCall.path
        let outerCall = activeCall
        activeCall = ModuleActiveCall(path: path, trace: parentCall.trace)
        defer { activeCall = outerCall }
        return try Autograd.withUseSite(path, owner: self) {
            try body()
        }
    }
}

/// Where a module is being called from during its forward pass, and the trace that call is recorded in.
struct ModuleActiveCall {
    let path: String
    let trace: ForwardTrace
}
