// `@exclusivity(unchecked)` on the stored properties autograd reads and writes on every op: plain -O keeps Swift's
// dynamic exclusivity check, a runtime call per access that cost a quarter of a tiny training step. Only these
// skip it (the whole package did under the former -Ounchecked); one thread at a time uses these objects (see the
// type's documentation), and the compile-time exclusivity checks still apply.

/// A Float32 n-dimensional array with define-by-run autograd, modelled on `torch.Tensor`.
///
/// A reference type: identity matters for autograd (a tensor used twice gets the sum of its gradients) and for
/// tied parameters. Views (`reshape`, `transpose`, `slice`, …) share `storage` and differ in shape, strides and
/// offset. `@unchecked Sendable`: like a PyTorch tensor it may be handed to another thread, but concurrent
/// mutation of one tensor is the caller's responsibility.
public final class Tensor: @unchecked Sendable {
    /// Size of each dimension; `[]` for a scalar.
    public let shape: [Int]
    /// Elements to skip in `storage` per step along each dimension.
    public let strides: [Int]
    /// Index in `storage` of the first element.
    public let offset: Int
    /// The memory, shared by views. Never reassigned; a `var` only so backward can ask
    /// `isKnownUniquelyReferenced` whether a fresh gradient's memory is shared (see `isExclusivelyOwned`).
    @exclusivity(unchecked) public internal(set) var storage: TensorStorage
    /// Element type (`.bool` tensors hold 0/1).
    public let dtype: DType
    /// Number of elements (PyTorch's `numel()`).
    public let count: Int
    /// Whether elements are laid out row-major without gaps starting at `offset`.
    public let isContiguous: Bool

    /// Whether gradients should be computed for this tensor. Set it on leaves; ops set it on their outputs.
    @exclusivity(unchecked) public var requiresGrad: Bool
    /// The accumulated gradient; nil before the first backward pass and after `zeroGrad()`.
    @exclusivity(unchecked) public var grad: Tensor?
    /// The backward node that produced this tensor, or nil for leaves.
    @exclusivity(unchecked) public internal(set) var gradFn: BackwardNode?
    /// The leaf's gradient split by use site, in first-seen order, accumulated until `zeroGrad()`.
    public var gradientContributions: [GradientContribution] {
        settleContributions()
        return siteContributions
    }
    /// The storage behind `gradientContributions` (which first settles an in-place edit of a shared grad and
    /// adds the rows a site delivered as rows).
    @exclusivity(unchecked) var siteContributions: [GradientContribution] = []
    /// Backward passes that reached this leaf since the last `zeroGrad()`.
    @exclusivity(unchecked) public internal(set) var backwardCount: Int = 0
    /// Whether the one entry of `siteContributions` is `grad` itself instead of a copy (or, during a pass,
    /// `GradientContribution.pending`, to become the grad): true while one use site has delivered since
    /// `zeroGrad()`, so the common case copies no gradient.
    @exclusivity(unchecked) var contributionIsGrad = false
    /// Gradient collected during one backward pass before it is passed on.
    @exclusivity(unchecked) var pendingGradient: Tensor?
    /// The traversal (see `GraphTraversal`) that last visited this tensor, so graph walks need no hash set.
    @exclusivity(unchecked) var visitedInTraversal: UInt64 = 0

    init(storage: TensorStorage, shape: [Int], strides: [Int], offset: Int, dtype: DType = .float32) {
        self.storage = storage
        self.shape = shape
        self.strides = strides
        self.offset = offset
        self.dtype = dtype
        var n = 1
        var contiguous = true
        var expected = 1
        var d = shape.count - 1
        while d >= 0 {
            n &*= shape[d]
            if shape[d] != 1 && strides[d] != expected { contiguous = false }
            expected &*= shape[d]
            d -= 1
        }
        self.count = n
        self.isContiguous = contiguous || n == 0
        self.requiresGrad = false
    }

    /// A fresh contiguous tensor whose elements the caller fills through `base`.
    static func uninitialized(_ shape: [Int], dtype: DType = .float32) -> Tensor {
        let n = shape.reduce(1, &*)
        return Tensor(storage: TensorStorage(uninitializedCount: n), shape: shape,
                      strides: contiguousStrides(shape), offset: 0, dtype: dtype)
    }

    /// Pointer to the first element (storage + offset).
    @inline(__always)
    var base: UnsafeMutablePointer<Float> { storage.pointer + offset }

    /// Number of dimensions (0 for a scalar).
    public var rank: Int { shape.count }

    /// Whether no op produced this tensor (it has no `gradFn`).
    public var isLeaf: Bool { gradFn == nil }

    /// A view with another layout over the same storage, outside the graph.
    @inline(__always)
    func rawView(shape: [Int], strides: [Int], offset: Int) -> Tensor {
        Tensor(storage: storage, shape: shape, strides: strides, offset: offset, dtype: dtype)
    }
}

/// The strides of every contiguous 1-d tensor.
let unitStrides = [1]

/// The strides `[n, 1]` of contiguous matrices n columns wide, for n < 1024, made once: every matrix an op
/// creates shares one (copy-on-write), so its strides cost no allocation. About 50 KB.
let matrixStrides: [[Int]] = (0 ..< 1024).map { [$0, 1] }

/// Row-major strides for `shape`.
@inline(__always)
func contiguousStrides(_ shape: [Int]) -> [Int] {
    // Every 1-d tensor shares one strides array (copy-on-write): no allocation for biases and their gradients.
    // Small ranks are array literals, which allocate directly; `[Int](repeating:count:)` goes through the
    // runtime's generic array allocation and its metadata lookup, several hundred instructions per tensor.
    switch shape.count {
    case 0: return []
    case 1: return unitStrides
    case 2: return shape[1] < matrixStrides.count ? matrixStrides[shape[1]] : [shape[1], 1]
    case 3: return [shape[1] &* shape[2], shape[2], 1]
    case 4: return [shape[1] &* shape[2] &* shape[3], shape[2] &* shape[3], shape[3], 1]
    default: break
    }
    var strides = [Int](repeating: 1, count: shape.count)
    var running = 1
    var d = shape.count - 1
    while d >= 0 {
        strides[d] = running
        running &*= shape[d]
        d -= 1
    }
    return strides
}

/// Resolves a possibly negative dimension index, throwing a message that names `op`.
@inline(__always)
func resolveDim(_ dim: Int, rank: Int, op: String) throws -> Int {
    let r = Swift.max(rank, 1)
    let d = dim < 0 ? dim + r : dim
    guard d >= 0 && d < r else {
        throw TensorError(op, "dimension \(dim) out of range for a tensor of rank \(rank) (expected -\(r)...\(r - 1))")
    }
    return d
}

/// Validates a shape given by a caller: non-negative sizes whose product fits in Int.
func checkedCount(_ shape: [Int], op: String) throws -> Int {
    var n = 1
    for s in shape {
        guard s >= 0 else { throw TensorError(op, "negative dimension \(s) in shape \(shapeText(shape))") }
        let (p, overflow) = n.multipliedReportingOverflow(by: s)
        guard !overflow else { throw TensorError(op, "shape \(shapeText(shape)) has too many elements") }
        n = p
    }
    return n
}
