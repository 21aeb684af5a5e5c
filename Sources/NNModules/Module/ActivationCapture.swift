import NNCore

/// Opt-in capture of what flows through a network: every module call's output, after backward the gradient of
/// the loss with respect to it, and the attention probabilities of every attention module (PyTorch's forward
/// hooks, `retain_grad` and `output_attentions=True`, without writing any).
///
/// Switch it on by setting it on the module you call, then run forward (and backward):
///
/// ```swift
/// let capture = try ActivationCapture(budgetBytes: 64 << 20)
/// net.activationCapture = capture
/// try net(x).sum().backward()
/// capture.records(at: "2")[0].gradient   // ∂loss/∂(output of the call at "2")
/// ```
///
/// Each forward pass started at that module replaces what the capture holds (like `lastForward`). A module
/// called several times has one record per call (`callNumber`); a structured output is recorded by its first
/// tensor, as in the forward trace, whose detached outputs the records share.
///
/// Memory is bounded by `budgetBytes`: an output is counted with room for its gradient (when gradients are
/// captured), an attention map by its size, each record by itself (an output shared by two records, such as a
/// Sequential's and its last child's, counts twice). The first call that does not fit stops the capture for the
/// rest of that forward pass — the network still runs — and `refusal` says where and why; `summary` says what
/// was kept. With no capture set, a module call pays one nil check.
public final class ActivationCapture {
    /// The default budget: 256 MiB.
    public static let defaultBudgetBytes = 256 << 20

    /// At most this many bytes of outputs, gradients and attention maps are kept per forward pass.
    public let budgetBytes: Int
    /// Whether the gradients of the outputs are kept after backward.
    public let capturesGradients: Bool
    /// Whether attention modules hand their probabilities to the capture.
    public let capturesAttention: Bool

    /// Every kept module call, in the order the calls finished (children before their parent).
    public private(set) var records: [ActivationRecord] = []
    /// Every kept attention map, in call order.
    public private(set) var attentionMaps: [AttentionRecord] = []
    /// The bytes kept and reserved (outputs, their gradients to come, attention maps).
    public private(set) var keptBytes = 0
    /// Why the capture stopped during the last forward pass, or nil when everything fitted.
    public private(set) var refusal: ActivationCaptureRefusal?
    /// Module outputs and attention maps of the last forward pass not kept because of `refusal`.
    public private(set) var refusedCount = 0

    /// Calls finished so far in this forward pass, per module instance.
    private var callCounts: [ObjectIdentifier: Int] = [:]
    /// Numbers forward passes, so a backward through an older pass's graph writes no gradient into a newer
    /// pass's records.
    private var forwardNumber = 0

    /// A capture keeping at most `budgetBytes`; `gradients` and `attention` say what it keeps besides outputs.
    public init(budgetBytes: Int = ActivationCapture.defaultBudgetBytes, gradients: Bool = true,
                attention: Bool = true) throws {
        guard budgetBytes >= 0 else {
            throw ModuleError(.invalidArgument, "ActivationCapture: the budget must be 0 bytes or more, not \(budgetBytes)")
        }
        self.budgetBytes = budgetBytes
        capturesGradients = gradients
        capturesAttention = attention
    }

    /// True when the last forward pass was captured whole.
    public var isComplete: Bool { refusal == nil }

    /// The records of the calls made at `path`, in order.
    public func records(at path: String) -> [ActivationRecord] {
        records.filter { $0.path == path }
    }

    /// The records of every call of `module`, under whichever path it was called (the tied network's shared
    /// layer: "call 1 at 2", "call 2 at 4"), in call order.
    public func records(of module: Module) -> [ActivationRecord] {
        let id = ObjectIdentifier(module)
        return records.filter { $0.moduleID == id }.sorted { $0.callNumber < $1.callNumber }
    }

    /// The attention maps of the calls made at `path`, in order.
    public func attentionMaps(at path: String) -> [AttentionRecord] {
        attentionMaps.filter { $0.path == path }
    }

    /// One line saying what the capture holds: "14 module outputs, 14 gradients, 2 attention maps: 310 KiB of
    /// a 256 MiB budget", and where it stopped if it did.
    public var summary: String {
        let gradients = records.filter { $0.gradient != nil }.count
        var text = "\(plural(records.count, "module output")), \(plural(gradients, "gradient")), "
            + "\(plural(attentionMaps.count, "attention map")): \(Self.byteText(keptBytes)) of a \(Self.byteText(budgetBytes)) budget"
        if let refusal { text += "; " + refusal.message }
        return text
    }

    /// The kept tensors under the names `nnview run --activations` writes: `act/PATH` (an output),
    /// `actgrad/PATH` (its gradient, when there is one) and `attn/PATH` (attention probabilities), PATH being the
    /// call site's dotted path. A path called more than once gets `#2`, `#3`, … on its later calls
    /// (`act/linear`, `act/linear#2`). The root's output is the model's own and is left out.
    public func namedTensors() -> [(name: String, tensor: Tensor)] {
        var result: [(name: String, tensor: Tensor)] = []
        var seen: [String: Int] = [:]
        for record in records where !record.path.isEmpty {
            let key = Self.key(record.path, &seen)
            result.append(("act/" + key, record.output))
            if let gradient = record.gradient { result.append(("actgrad/" + key, gradient)) }
        }
        seen = [:]
        for map in attentionMaps {
            result.append(("attn/" + Self.key(map.path, &seen), map.probabilities))
        }
        return result
    }

    // MARK: Filling (called by the module system)

    /// Starts a forward pass: forgets the previous one.
    func beginForward() {
        forwardNumber += 1
        records.removeAll(keepingCapacity: true)
        attentionMaps.removeAll(keepingCapacity: true)
        callCounts.removeAll(keepingCapacity: true)
        keptBytes = 0
        refusal = nil
        refusedCount = 0
    }

    /// Keeps the output of a finished call of `module` at `path`: `detached` is the forward trace's copy of
    /// `output`, which (when gradients are captured and it is part of a graph) gets a hook for its gradient.
    func keepOutput(of module: Module, path: String, output: Tensor, detached: Tensor) {
        let id = ObjectIdentifier(module)
        let callNumber = callCounts[id, default: 0] + 1
        callCounts[id] = callNumber
        let wantsGradient = capturesGradients && output.gradFn != nil
        let bytes = Self.bytes(of: output) * (wantsGradient ? 2 : 1)
        guard admit(bytes, what: "the output of \(module.typeName) (call \(callNumber) at \(Self.pathText(path)))") else { return }
        records.append(ActivationRecord(path: path, callNumber: callNumber, typeName: module.typeName,
                                        moduleID: id, output: detached, gradient: nil))
        guard wantsGradient else { return }
        let index = records.count - 1, pass = forwardNumber
        output.registerGradientHook { [weak self] gradient in
            guard let self, self.forwardNumber == pass else { return }
            // Backward runs without recording, so this is a plain copy the rest of the pass cannot touch.
            self.records[index].gradient = gradient.clone()
        }
    }

    /// Keeps the attention probabilities of the current call of `module` at `path`.
    func keepAttention(_ probabilities: Tensor, of module: Module, path: String) {
        let callNumber = callCounts[ObjectIdentifier(module), default: 0] + 1
        guard admit(Self.bytes(of: probabilities), what: "the attention map of \(module.typeName) (call \(callNumber) at \(Self.pathText(path)))") else { return }
        attentionMaps.append(AttentionRecord(path: path, callNumber: callNumber, probabilities: probabilities.detach()))
    }

    /// Counts `bytes` against the budget, or refuses them (and everything after them in this pass).
    private func admit(_ bytes: Int, what: String) -> Bool {
        guard refusal == nil else {
            refusedCount += 1
            return false
        }
        guard bytes <= budgetBytes - keptBytes else {
            refusal = ActivationCaptureRefusal(
                message: "capture stopped at \(what): it needs \(Self.byteText(bytes)) more, over the "
                    + "\(Self.byteText(budgetBytes)) budget (\(Self.byteText(keptBytes)) kept); the rest of the forward "
                    + "pass ran without capture — raise the budget to capture it whole",
                neededBytes: bytes)
            refusedCount += 1
            return false
        }
        keptBytes += bytes
        return true
    }

    // MARK: Helpers

    private static func key(_ path: String, _ seen: inout [String: Int]) -> String {
        let count = seen[path, default: 0] + 1
        seen[path] = count
        return count == 1 ? path : "\(path)#\(count)"
    }

    /// Every element is stored as a Float32, whatever its dtype.
    private static func bytes(of tensor: Tensor) -> Int {
        tensor.count * MemoryLayout<Float>.size
    }

    private static func pathText(_ path: String) -> String {
        path.isEmpty ? "the root" : path
    }

    /// "512 B", "19.5 KiB", "256 MiB".
    static func byteText(_ bytes: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes), unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 || value >= 100 || value == value.rounded() { return "\(Int(value.rounded())) \(units[unit])" }
        return "\((value * 10).rounded() / 10) \(units[unit])"
    }

    private func plural(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }
}

/// Why an `ActivationCapture` stopped keeping records during a forward pass.
public struct ActivationCaptureRefusal: Sendable, Equatable {
    /// One line naming the call that did not fit, what it needed, the budget and what was kept.
    public let message: String
    /// The bytes the refused record needed.
    public let neededBytes: Int
}
