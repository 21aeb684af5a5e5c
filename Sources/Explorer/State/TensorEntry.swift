import NNCore
import NNModules
import ModelFiles

/// One distinct tensor of the model (a tied tensor is one entry with several names): where its values live and
/// whether it was edited.
final class TensorEntry {
    /// Position in `ExplorerState.entries`.
    let id: Int
    /// Every name, in tree order.
    var names: [String] = []
    /// Parameter or buffer.
    let kind: TreeRowKind
    /// A live parameter's slot (lazy parameters get their tensor on the first forward).
    let slot: ParameterSlot?
    /// A live buffer.
    let buffer: Tensor?
    /// A browsed file's record, read only when shown.
    let record: TensorRecord?
    /// A browsed record turned into a tensor on its first edit (a quantized one as soon as it is shown: its
    /// blocks are decoded once).
    var materialised: Tensor?
    /// Whether any edit was applied since the file was opened (saving writes these from their tensors, in the
    /// record's own type).
    var wasEdited = false
    /// Edits applied minus edits undone since the last save (0: same as saved).
    var unsavedEditBalance = 0

    init(id: Int, kind: TreeRowKind, slot: ParameterSlot? = nil, buffer: Tensor? = nil, record: TensorRecord? = nil) {
        self.id = id
        self.kind = kind
        self.slot = slot
        self.buffer = buffer
        self.record = record
    }

    /// The tensor holding the values now, nil for an uninitialised lazy parameter or an unedited record.
    var tensor: Tensor? {
        if let slot { return slot.tensorIfInitialised }
        return buffer ?? materialised
    }

    /// A lazy parameter without values.
    var isUninitialised: Bool { slot.map { !$0.isInitialised } ?? false }

    /// The shape, -1 for unknown dimensions.
    var shape: [Int] {
        if let tensor { return tensor.shape }
        if let record { return record.shape }
        if let slot { return slot.shape.dimensions.map { $0 ?? -1 } }
        return []
    }

    /// Elements, 0 while unknown.
    var elementCount: Int {
        let s = shape
        if s.contains(where: { $0 < 0 }) { return 0 }
        return s.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
    }

    /// `[8, 4]`, `[?, 8]`.
    var shapeText: String {
        "[" + shape.map { $0 < 0 ? "?" : String($0) }.joined(separator: ", ") + "]"
    }

    /// The element type: the file's (edits keep it), F32 for a live tensor.
    var dtype: String { elementType.name }

    /// The type the values are kept in: the file's, F32 for a live tensor.
    var elementType: ElementType { record?.type ?? .f32 }

    /// A ggml block-quantized tensor (shown and edited dequantized).
    var isQuantized: Bool {
        if case .ggml = elementType { return true }
        return false
    }

    var isEdited: Bool { unsavedEditBalance != 0 }

    /// The tensor to edit, materialising a browsed record on first use.
    func editableTensor() throws -> Tensor {
        if let tensor { return tensor }
        if let record {
            let made = try record.makeTensor()
            materialised = made
            return made
        }
        throw ExplorerError("\(names.first ?? "tensor") is not initialised yet: run a forward pass (f) first")
    }
}
