extension Tensor {
    /// Whether an op on `a` must record a node (checked before any graph work so untracked ops stay cheap).
    @inline(__always)
    static func recording(_ a: Tensor) -> Bool {
        a.requiresGrad && Autograd.isGradEnabled
    }

    @inline(__always)
    static func recording(_ a: Tensor, _ b: Tensor) -> Bool {
        (a.requiresGrad || b.requiresGrad) && Autograd.isGradEnabled
    }

    @inline(__always)
    static func recording(_ a: Tensor, _ b: Tensor?, _ c: Tensor?) -> Bool {
        (a.requiresGrad || (b?.requiresGrad ?? false) || (c?.requiresGrad ?? false)) && Autograd.isGradEnabled
    }

    /// Makes this tensor the output of a recorded op with `inputs` and backward `rule`.
    @inline(__always)
    func record(_ name: String, _ inputs: [Tensor?],
                _ rule: @escaping (BackwardNode, Tensor) throws -> InputGradients) {
        // The node copies the inputs that need a gradient into its own fields, so the caller's array literal
        // does not outlive this call (the compiler can keep it on the stack).
        gradFn = BackwardNode(name: name, useSite: Autograd.currentUseSite, inputs: inputs, rule: rule)
        requiresGrad = true
    }

    /// Makes this tensor the output of a recorded three-input op (linear, layer norm) with backward `rule`.
    @inline(__always)
    func record(_ name: String, _ a: Tensor?, _ b: Tensor?, _ c: Tensor?,
                _ rule: @escaping (BackwardNode, Tensor) throws -> InputGradients) {
        gradFn = BackwardNode(name: name, useSite: Autograd.currentUseSite, a, b, c, rule: rule)
        requiresGrad = true
    }

    /// A tensor sharing this one's storage with no graph history (like `torch.Tensor.detach`).
    public func detach() -> Tensor {
        rawView(shape: shape, strides: strides, offset: offset)
    }

    /// PyTorch's `.data`: a detached view of the same storage; edits through it are not recorded.
    public var data: Tensor { detach() }

    /// Computes gradients of this tensor with respect to every leaf that requires one, accumulating into their
    /// `grad` (and `gradientContributions`). `gradient` is required unless this tensor has one element.
    /// The graph is freed afterwards.
    public func backward(gradient: Tensor? = nil) throws {
        guard requiresGrad else {
            throw TensorError("backward", "tensor does not require grad and has no grad_fn")
        }
        let seed: Tensor
        if let gradient {
            guard gradient.shape == shape else {
                throw TensorError("backward", "gradient shape \(shapeText(gradient.shape)) does not match tensor shape \(shapeText(shape))")
            }
            seed = gradient.detach()
        } else {
            guard count == 1 else {
                throw TensorError("backward", "grad can be implicitly created only for scalar outputs (shape \(shapeText(shape)))")
            }
            seed = Tensor.ones(shape)
        }
        let order = topologicalOrder()
        defer { for t in order { t.pendingGradient = nil } }
        pendingGradient = seed
        do {
            try propagate(order)
        } catch {
            // A failed pass updates no `grad`; a contribution that was to become the grad keeps what its site
            // delivered, as a separate tensor.
            for t in order where t.gradFn == nil && t.contributionIsGrad && t.pendingGradient != nil {
                t.separateSharedContribution()
            }
            throw error
        }
        for t in order where t.gradFn == nil { t.orderNewContributions() }
    }

    /// Runs the backward rules over `order` (see `topologicalOrder`), starting from this tensor's pending gradient.
    private func propagate(_ order: [Tensor]) throws {
        try Autograd.noGrad {
            // `order` lists inputs before outputs; walk it backwards so each tensor's gradient is complete
            // before it is passed on.
            for position in order.indices.reversed() {
                let t = order[position]
                guard var g = t.pendingGradient else { continue }
                t.pendingGradient = nil
                guard let node = t.gradFn else {
                    if t === self { t.addContribution(site: "", g, forwardPosition: position) }
                    t.accumulateGrad(&g)
                    continue
                }
                guard let rule = node.rule else {
                    throw TensorError("backward", "trying to backward through \(node.name) a second time: its saved tensors were freed after the first backward")
                }
                let grads = try rule(node, g)
                let site = node.useSite ?? ""
                if let rows = grads.rowGradient, let input = node.input(0) {
                    precondition(rows.shape == input.shape,
                                 "\(node.name) produced a gradient of shape \(rows.shape) for an input of shape \(input.shape)")
                    if input.gradFn == nil { input.addRowContribution(site: site, rows, forwardPosition: position) }
                    input.addPendingGradient(rows)
                }
                for i in 0 ..< node.inputCount {
                    guard let input = node.input(i), let gi = grads[i] else { continue }
                    precondition(gi.shape == input.shape,
                                 "\(node.name) produced a gradient of shape \(gi.shape) for an input of shape \(input.shape)")
                    if input.gradFn == nil { input.addContribution(site: site, gi, forwardPosition: position) }
                    try input.addPendingGradient(gi)
                }
                node.release()
            }
        }
    }

    /// Adds `g` to the gradient this tensor collects during a pass: in place when the pending sum is a tensor
    /// no one else can see (the fresh result of a rule or an earlier sum, the usual case), so a tensor used twice
    /// — a residual stream, a tied weight — costs no new buffer per use.
    @inline(__always)
    private func addPendingGradient(_ g: Tensor) throws {
        guard var existing = pendingGradient else {
            pendingGradient = g
            return
        }
        pendingGradient = nil
        if Tensor.isExclusivelyOwned(&existing) {
            addInPlace(existing, g)
            pendingGradient = existing
        } else {
            pendingGradient = try existing + g
        }
    }

    /// Adds a gradient given as rows to the pending one: into it in place when no one else can see it, else as
    /// the dense sum.
    private func addPendingGradient(_ rows: RowGradient) {
        guard var existing = pendingGradient else {
            pendingGradient = rows.dense()
            return
        }
        pendingGradient = nil
        if Tensor.isExclusivelyOwned(&existing) {
            rows.add(into: existing)
            pendingGradient = existing
        } else {
            let dense = rows.dense()
            addInPlace(dense, existing)  // existing + dense, elementwise: the same sums in either order
            pendingGradient = dense
        }
    }

    /// Tensors reachable from this one through nodes, inputs before outputs (an iterative depth-first search,
    /// so chains of any length work).
    func topologicalOrder() -> [Tensor] {
        var order: [Tensor] = []
        // Room for a small model's graph up front: growing 1, 2, 4, 8, … is a reallocation per doubling.
        order.reserveCapacity(16)
        // A fresh traversal number marks visited tensors in place: no hashing on the backward hot path.
        let traversal = GraphTraversal.next()
        var stack: [(tensor: Tensor, next: Int)] = [(self, 0)]
        stack.reserveCapacity(16)
        visitedInTraversal = traversal
        while !stack.isEmpty {
            let top = stack.count - 1
            let (t, next) = stack[top]
            if let node = t.gradFn, next < node.inputCount {
                stack[top].next = next + 1
                if let input = node.input(next), input.visitedInTraversal != traversal {
                    input.visitedInTraversal = traversal
                    stack.append((input, 0))
                }
            } else {
                order.append(t)
                stack.removeLast()
            }
        }
        return order
    }

    /// Adds `g` into this leaf's `grad`, owning a private copy so later in-place accumulation never writes into
    /// a tensor someone else holds. A first gradient that nothing else references (the fresh result of a
    /// backward rule, the usual case) is adopted as is instead of copied.
    func accumulateGrad(_ g: inout Tensor) {
        backwardCount += 1
        let previous = grad
        if let existing = previous, existing.shape == g.shape, existing.isContiguous {
            // Adding into our own shared contribution is the point of sharing it; any other leaf's must first
            // get its own copy (the user may have given two leaves one grad tensor).
            if !(contributionIsGrad && siteContributions[0].gradient === existing) {
                existing.storage.willEditInPlace()
            }
            addInPlace(existing, g)
        } else if let existing = previous {
            grad = (try? existing + g) ?? g.contiguousCopy()
        } else if Tensor.isExclusivelyOwned(&g) {
            grad = g
        } else {
            grad = g.contiguousCopy()
        }
        if contributionIsGrad { settleSharedContribution(previousGrad: previous, passGradient: g) }
    }

    /// True when `t` is the only reference to its tensor object, that tensor is the only one using its
    /// storage, and it spans the whole storage contiguously: then no one else can see writes into it.
    static func isExclusivelyOwned(_ t: inout Tensor) -> Bool {
        guard isKnownUniquelyReferenced(&t), t.isContiguous, t.offset == 0, t.storage.count == t.count,
              t.requiresGrad == false, t.gradFn == nil else { return false }
        return isKnownUniquelyReferenced(&t.storage)
    }

    /// Records that `g` reached this leaf through `site` during the current pass (before `pendingGradient`
    /// includes it).
    ///
    /// While the leaf has one use site since `zeroGrad()` (the common case) that site's contribution is `grad`
    /// itself, so nothing is copied or added here: `accumulateGrad` makes the contribution the grad at the end
    /// of the pass. Only a second site gives the first one a tensor of its own.
    func addContribution(site: String, _ g: Tensor, forwardPosition: Int) {
        if isGradsOwnSite(site, forwardPosition: forwardPosition) { return }
        if let i = siteContributions.firstIndex(where: { $0.site == site }) {
            applyRows(ofContribution: i)
            addInPlace(siteContributions[i].gradient, g)
            if let p = siteContributions[i].forwardPosition, forwardPosition < p {
                siteContributions[i].forwardPosition = forwardPosition
            }
        } else {
            siteContributions.append(GradientContribution(site: site, gradient: g.contiguousCopy(),
                                                          forwardPosition: forwardPosition))
        }
    }

    /// The part of recording a delivery through `site` that does not depend on the gradient: true when the
    /// site's contribution is (or, as the first site since `zeroGrad()`, becomes) the grad itself, so nothing is
    /// to be kept; a second site first gives the shared contribution a tensor of its own.
    @inline(__always)
    private func isGradsOwnSite(_ site: String, forwardPosition: Int) -> Bool {
        if contributionIsGrad {
            if siteContributions[0].site == site {
                if let p = siteContributions[0].forwardPosition, forwardPosition < p {
                    siteContributions[0].forwardPosition = forwardPosition
                }
                return true
            }
            separateSharedContribution()
        } else if siteContributions.isEmpty {
            siteContributions.append(GradientContribution(site: site, gradient: GradientContribution.pending,
                                                          forwardPosition: forwardPosition))
            contributionIsGrad = true
            return true
        }
        return false
    }

    /// Records that `rows` reached this leaf through `site` during the current pass, as `addContribution` does
    /// for a dense gradient; a site other than the grad's own keeps them as rows until the contributions are read.
    func addRowContribution(site: String, _ rows: RowGradient, forwardPosition: Int) {
        if isGradsOwnSite(site, forwardPosition: forwardPosition) { return }
        if let i = siteContributions.firstIndex(where: { $0.site == site }) {
            siteContributions[i].unappliedRows.append(rows)
            if let p = siteContributions[i].forwardPosition, forwardPosition < p {
                siteContributions[i].forwardPosition = forwardPosition
            }
        } else {
            var contribution = GradientContribution(site: site, gradient: GradientContribution.zeros,
                                                    forwardPosition: forwardPosition)
            contribution.unappliedRows = [rows]
            siteContributions.append(contribution)
        }
    }

    /// Adds contribution `i`'s rows into its gradient, allocating it (zeros of this leaf's shape) if need be.
    func applyRows(ofContribution i: Int) {
        guard !siteContributions[i].unappliedRows.isEmpty else { return }
        if siteContributions[i].gradient === GradientContribution.zeros {
            siteContributions[i].gradient = Tensor.zeros(shape)
        }
        for rows in siteContributions[i].unappliedRows { rows.add(into: siteContributions[i].gradient) }
        siteContributions[i].unappliedRows = []
    }

    /// Brings `siteContributions` up to date before anyone outside reads them: a contribution shared with an
    /// edited grad takes its saved values, and rows kept back are added in.
    func settleContributions() {
        takeEditedContribution()
        for i in siteContributions.indices { applyRows(ofContribution: i) }
    }

    /// Ends the current pass for a contribution that is to be `grad` (`contributionIsGrad`), once `grad` has
    /// taken `passGradient`: the contribution becomes or stays the grad tensor while their values agree, and gets
    /// a tensor of its own when they part (the user replaced or set `grad`, or it could not be added in place).
    private func settleSharedContribution(previousGrad: Tensor?, passGradient: Tensor) {
        guard let grad else { return }
        let current = siteContributions[0].gradient
        if current === GradientContribution.pending {
            if previousGrad == nil {
                // The first pass since `zeroGrad()`: the grad is exactly this site's gradient.
                siteContributions[0].gradient = grad
                grad.storage.isSharedContribution = true
                return
            }
            siteContributions[0].gradient = passGradient.contiguousCopy()
        } else if current === previousGrad && current === grad && current.storage.valuesBeforeEdit == nil {
            return  // accumulated in place into the shared tensor, which nobody edited
        } else {
            current.storage.isSharedContribution = false
            let separate = Tensor.valuesBeforeEdit(of: current) ?? current.contiguousCopy()
            addInPlace(separate, passGradient)
            siteContributions[0].gradient = separate
        }
        contributionIsGrad = false
    }

    /// Gives the contribution that is shared with `grad` a tensor of its own, holding its current value: what
    /// earlier passes summed plus what its site delivered in the current pass (`pendingGradient`, which until
    /// the leaf's turn in backward holds only that site's gradients).
    func separateSharedContribution() {
        guard contributionIsGrad else { return }
        let current = siteContributions[0].gradient
        let separate: Tensor
        if current === GradientContribution.pending {
            separate = pendingGradient?.contiguousCopy() ?? Tensor.zeros(shape)
        } else {
            current.storage.isSharedContribution = false
            separate = Tensor.valuesBeforeEdit(of: current) ?? current.contiguousCopy()
            if let pendingGradient { addInPlace(separate, pendingGradient) }
        }
        siteContributions[0].gradient = separate
        contributionIsGrad = false
    }

    /// Gives a contribution shared with `grad` the values it had before an in-place edit of the grad (see
    /// `TensorStorage.willEditInPlace`), as a tensor of its own.
    func takeEditedContribution() {
        guard contributionIsGrad else { return }
        let current = siteContributions[0].gradient
        guard let saved = Tensor.valuesBeforeEdit(of: current) else { return }
        siteContributions[0].gradient = saved
        contributionIsGrad = false
    }

    /// The values `t`'s storage held before an in-place edit while it was a shared contribution, with `t`'s
    /// layout (shared contributions span their whole storage), or nil; the storage hands them over only once.
    static func valuesBeforeEdit(of t: Tensor) -> Tensor? {
        guard let saved = t.storage.valuesBeforeEdit else { return nil }
        t.storage.valuesBeforeEdit = nil
        return Tensor(storage: saved, shape: t.shape, strides: t.strides, offset: t.offset)
    }

    /// Backward visits uses last-first; list the sites first seen in this pass in forward order instead.
    func orderNewContributions() {
        // The common case, one use site, needs no reordering (and no temporary arrays).
        if siteContributions.count == 1 {
            siteContributions[0].forwardPosition = nil
            return
        }
        guard siteContributions.contains(where: { $0.forwardPosition != nil }) else { return }
        // After `zeroGrad` every site is new: sort in place (a tied weight's two sites are one swap), no copies.
        if siteContributions.allSatisfy({ $0.forwardPosition != nil }) {
            siteContributions.sort { $0.forwardPosition! < $1.forwardPosition! }
            for i in siteContributions.indices { siteContributions[i].forwardPosition = nil }
            return
        }
        let old = siteContributions.filter { $0.forwardPosition == nil }
        var new = siteContributions.filter { $0.forwardPosition != nil }
        new.sort { $0.forwardPosition! < $1.forwardPosition! }
        for i in new.indices { new[i].forwardPosition = nil }
        siteContributions = old + new
    }

    /// Clears the gradient (PyTorch's `set_to_none=True`), the per-site contributions and the backward count.
    public func zeroGrad() {
        // A grad the caller still holds is no contribution any more: its edits need no copy.
        if contributionIsGrad, siteContributions[0].gradient !== GradientContribution.pending {
            siteContributions[0].gradient.storage.isSharedContribution = false
        }
        grad = nil
        // Keeping the array's capacity saves a reallocation when the next pass appends its sites again; the
        // usual single site is dropped with `removeLast`, which unlike `removeAll` is not a generic replace.
        if siteContributions.count == 1 {
            siteContributions.removeLast()
        } else {
            siteContributions.removeAll(keepingCapacity: true)
        }
        contributionIsGrad = false
        backwardCount = 0
    }
}

/// `target += source` elementwise; `target` is contiguous and both have the same shape.
func addInPlace(_ target: Tensor, _ source: Tensor) {
    let t = target.base
    if source.isContiguous {
        let s = source.base
        for i in 0..<target.count { t[i] += s[i] }
    } else {
        var i = 0
        let sp = source.storage.pointer
        forEachOffset(shape: source.shape, strides: source.strides, offset: source.offset) { o in
            t[i] += sp[o]
            i += 1
        }
    }
}
