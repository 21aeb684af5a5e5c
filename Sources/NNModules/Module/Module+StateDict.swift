import ModulePaths
import NNCore

extension Module {
    /// Every parameter and buffer under every path that reaches it, like PyTorch's `state_dict()`: a module's own
    /// parameters, then its buffers, then its children's entries in registration order. Tied tensors appear
    /// under each of their names (the same tensor object); lazy parameters appear uninitialised.
    public func stateDict() -> StateDict {
        var result = StateDict()
        var stack: [(String, Module)] = [("", self)]
        while let (path, module) = stack.popLast() {
            for (name, slot) in module.parameterEntries {
                let value: StateDict.Value = slot.tensorIfInitialised.map { .tensor($0) } ?? .uninitialised(slot.shape)
                result.append(StateDict.Entry(name: ModulePath.join(path, name), value: value))
            }
            for (name, tensor) in module.bufferEntries {
                result.append(StateDict.Entry(name: ModulePath.join(path, name), value: .tensor(tensor), isBuffer: true))
            }
            for (name, child) in module.childEntries.reversed() {
                stack.append((ModulePath.join(path, name), child))
            }
        }
        return result
    }

    /// Copies the values of `stateDict` into this tree's parameters and buffers, in place and without recording
    /// gradients, so tied tensors stay one object. A lazy parameter is materialised with the loaded shape.
    ///
    /// Everything is checked before anything is changed. Shape mismatches are always an error; with `strict`
    /// (the default), missing and unexpected names are too. A tied tensor counts as provided when any one of its
    /// names is. Returns the missing and unexpected names.
    @discardableResult
    public func loadStateDict(_ stateDict: StateDict, strict: Bool = true) throws -> StateDictLoadReport {
        var targets: [String: (slot: ParameterSlot?, buffer: Tensor?)] = [:]
        var expectedOrder: [String] = []
        var stack: [(String, Module)] = [("", self)]
        while let (path, module) = stack.popLast() {
            for (name, slot) in module.parameterEntries {
                let key = ModulePath.join(path, name)
                if targets[key] == nil { expectedOrder.append(key) }
                targets[key] = (slot, nil)
            }
            for (name, tensor) in module.bufferEntries {
                let key = ModulePath.join(path, name)
                if targets[key] == nil { expectedOrder.append(key) }
                targets[key] = (nil, tensor)
            }
            for (name, child) in module.childEntries.reversed() {
                stack.append((ModulePath.join(path, name), child))
            }
        }

        var provided = Set<String>()
        var unexpected: [String] = []
        var mismatched: [String] = []
        var lazyShapes: [ObjectIdentifier: LazyShape] = [:]
        var assignments: [(target: (slot: ParameterSlot?, buffer: Tensor?), source: Tensor)] = []
        for entry in stateDict {
            guard provided.insert(entry.name).inserted else { continue }
            guard let target = targets[entry.name] else {
                unexpected.append(entry.name)
                continue
            }
            let expected = target.slot?.shape ?? LazyShape(known: target.buffer?.shape ?? [])
            guard let source = entry.tensor else {
                mismatched.append("\(entry.name) (the state dict has no values for it)")
                continue
            }
            // A lazy slot reached under two names (a tied layer) must get one shape from both.
            let slotKey = target.slot.map(ObjectIdentifier.init)
            let resolved = slotKey.flatMap { lazyShapes[$0] } ?? expected
            guard resolved.accepts(source.shape) else {
                mismatched.append("\(entry.name) (expected \(resolved), got \(LazyShape(known: source.shape)))")
                continue
            }
            if let slotKey { lazyShapes[slotKey] = LazyShape(known: source.shape) }
            assignments.append((target, source))
        }
        // A tied tensor is one tensor under several names: providing any of its names provides it (files written
        // by safetensors' save_model, and nnview's own saves, store each tied tensor once).
        var providedTargets = Set<ObjectIdentifier>()
        for (target, _) in assignments {
            if let slot = target.slot { providedTargets.insert(slot.identity) }
            if let buffer = target.buffer { providedTargets.insert(ObjectIdentifier(buffer)) }
        }
        let missing = expectedOrder.filter { name in
            guard !provided.contains(name), let target = targets[name] else { return false }
            let identity = target.slot.map(\.identity) ?? target.buffer.map(ObjectIdentifier.init)
            return identity.map { !providedTargets.contains($0) } ?? true
        }

        if !mismatched.isEmpty || (strict && (!missing.isEmpty || !unexpected.isEmpty)) {
            throw StateDictError(missing: strict ? missing : [], unexpected: strict ? unexpected : [],
                                 mismatched: mismatched)
        }

        try Autograd.noGrad {
            for (target, source) in assignments {
                if let slot = target.slot {
                    if let tensor = slot.tensorIfInitialised {
                        try tensor.copyData(from: source)
                    } else {
                        let fresh = Tensor.zeros(source.shape)
                        try fresh.copyData(from: source)
                        try slot.materialise(fresh)
                    }
                } else if let buffer = target.buffer {
                    try buffer.copyData(from: source)
                }
            }
        }
        return StateDictLoadReport(missing: missing, unexpected: unexpected)
    }
}

/// What `loadStateDict(_:strict:)` left out: names the module has that the state dict lacks, and the reverse.
public struct StateDictLoadReport: Equatable, Sendable {
    /// Names of the module's parameters and buffers the state dict did not provide.
    public let missing: [String]
    /// Names in the state dict the module does not have.
    public let unexpected: [String]
}

/// A state dict that does not fit a module: lists every missing, unexpected and shape-mismatched name.
public struct StateDictError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Names the module has that the state dict lacks.
    public let missing: [String]
    /// Names in the state dict the module does not have.
    public let unexpected: [String]
    /// Names whose shapes differ, each with the expected and the given shape.
    public let mismatched: [String]

    /// Every missing, unexpected and mismatched name, as one line.
    public var problems: String {
        var parts: [String] = []
        if !missing.isEmpty { parts.append("missing: " + missing.joined(separator: ", ")) }
        if !unexpected.isEmpty { parts.append("unexpected: " + unexpected.joined(separator: ", ")) }
        if !mismatched.isEmpty { parts.append("shape mismatch: " + mismatched.joined(separator: ", ")) }
        return parts.joined(separator: "; ")
    }

    /// One line listing every problem.
    public var description: String {
        "loadStateDict: the state dict does not fit the module: " + problems
    }
}
