import NNCore

/// The module call being run on this task: the module, its path and the trace of the forward pass.
///
/// `@unchecked Sendable` because a frame holds non-Sendable references (the module, the trace); this is safe
/// because frames are bound with `TaskLocal.withValue` around a synchronous forward pass, so only the thread
/// running that pass ever reads them.
struct ModuleCallFrame: @unchecked Sendable {
    let module: Module
    let path: String
    let trace: ForwardTrace
}

/// The task-local stack of module calls, so a child knows its parent's path without being told.
enum ModuleCallContext {
    @TaskLocal static var current: ModuleCallFrame?
}

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
        let parent = ModuleCallContext.current
        let path: String
        let trace: ForwardTrace
        if let parent {
            // A module called from inside another's forward without being its child keeps the caller's path.
            let name = explicitName ?? parent.module.nameOfChild(self)
            path = name.map { Module.join(parent.path, $0) } ?? parent.path
            trace = parent.trace
        } else {
            path = ""
            trace = ForwardTrace()
        }
        let index = trace.begin(path: path, typeName: typeName, inputShapes: [x.shape])
        let frame = ModuleCallFrame(module: self, path: path, trace: trace)
        let output = try ModuleCallContext.$current.withValue(frame) {
            try Autograd.withUseSite(path) {
                try forward(x)
            }
        }
        trace.finish(index, output: output)
        if parent == nil {
            lastForward = trace
        }
        return output
    }
}
