import NNCore

// `@exclusivity(unchecked)` on the stored properties autograd reads and writes on every op: plain -O keeps Swift's
// dynamic exclusivity check, a runtime call per access that cost a quarter of a tiny training step. Only these
// skip it (the whole package did under the former -Ounchecked); one thread at a time uses these objects (see the
// type's documentation), and the compile-time exclusivity checks still apply.

/// One module call during a forward pass: where it happened, what went in and what came out.
public struct ModuleCallRecord {
    /// The dotted path of the call site ("" for the root, "2" and "4" for a module shared at two indices).
    public let path: String
    /// The called module's type name (`Linear`).
    public let typeName: String
    /// The shapes of the inputs.
    public var inputShapes: [[Int]] { [inputShape] }
    /// The one input's shape, stored as is: wrapping it in an array on every module call is an allocation a
    /// tiny network's step notices, and readers of `inputShapes` are rare.
    let inputShape: [Int]
    /// The output's shape (for a structured output, its first tensor's); nil if the call threw.
    public internal(set) var outputShape: [Int]?
    /// The output, detached from the graph; nil if the call threw, or once the next forward pass started at the
    /// same root module began (so two passes' activations are never alive at once).
    public internal(set) var output: Tensor?
}

/// The record of every module call of one forward pass, in call order (a parent before its children).
///
/// A trace is filled only by the thread running that forward pass (see `Module.activeCall`).
public final class ForwardTrace {
    /// Every call in the order the calls started.
    @exclusivity(unchecked) public private(set) var records: [ModuleCallRecord] = []
    /// The activation capture this forward pass also fills, or nil (the usual case: then capture costs a call
    /// one nil check).
    let capture: ActivationCapture?

    /// Creates an empty trace.
    public convenience init() {
        self.init(capture: nil)
    }

    /// Creates an empty trace whose calls `capture` also keeps (after it forgets its previous forward pass).
    init(capture: ActivationCapture?) {
        self.capture = capture
        capture?.beginForward()
        records.reserveCapacity(8)  // small networks then never regrow the array during a forward pass
    }

    /// The calls made at `path`, in order (a module applied twice, like FixedHiddenMLP's `linear`, has two).
    public func records(at path: String) -> [ModuleCallRecord] {
        records.filter { $0.path == path }
    }

    /// The last call made at `path`, or nil.
    public func lastRecord(at path: String) -> ModuleCallRecord? {
        records.last { $0.path == path }
    }

    func begin(path: String, typeName: String, inputShape: [Int]) -> Int {
        records.append(ModuleCallRecord(path: path, typeName: typeName, inputShape: inputShape))
        return records.count - 1
    }

    /// Lets go of every call's output (the records keep their paths and shapes).
    func forgetOutputs() {
        for index in records.indices where records[index].output != nil { records[index].output = nil }
    }

    /// Completes the record at `index`; a call whose output holds no tensor records none.
    func finish(_ index: Int, output: Tensor?) {
        guard let output else { return }
        records[index].outputShape = output.shape
        records[index].output = output.detach()
    }
}
