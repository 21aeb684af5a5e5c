import NNCore

/// The output sizes of convolution and pooling windows for layer descriptions, as NNCore's window walks compute
/// them (PyTorch's formula), in arithmetic that reports sizes no `Int` can hold instead of trapping (a spec may
/// write a padding near `Int.max`).
enum WindowOutputSize {
    /// ⌊(in + padBefore + padAfter − dilation·(k − 1) − 1) / stride⌋ + 1, rounded up with `ceilMode` (minus one
    /// when the last window would start in the right padding only); 0 when the window does not fit.
    static func size(input: Int, kernel: Int, stride: Int, padBefore: Int, padAfter: Int, dilation: Int,
                     ceilMode: Bool = false, layer: String) throws -> Int {
        let padded = try CheckedSize.sum(try CheckedSize.sum(input, padBefore, layer: layer), padAfter, layer: layer)
        let reach = try CheckedSize.product([dilation, kernel - 1], layer: layer)
        let span = padded - reach - 1
        if span < 0 { return 0 }
        let stride = Swift.max(stride, 1)
        var size = (ceilMode ? span / stride + (span % stride == 0 ? 0 : 1) : span / stride) + 1
        if ceilMode && (size - 1) * stride >= input + padBefore { size -= 1 }
        return size
    }

    /// The spatial input [N, C, H, W] or [C, H, W] of a window layer with `channels` channels (nil: any), or a
    /// shape mismatch naming `layer`.
    static func checkImage(_ input: [Int], channels: Int?, layer: String) throws {
        guard input.count == 3 || input.count == 4, channels == nil || input[input.count - 3] == channels else {
            let expected = channels.map { "[N, \($0), H, W]" } ?? "[N, C, H, W] or [C, H, W]"
            throw ModuleError(.shapeMismatch, "\(layer): expected an input \(expected), got \(LazyShape(known: input))")
        }
    }

    /// `input` with its last two sizes replaced, or a shape mismatch when a side is empty.
    static func output(_ input: [Int], channels: Int? = nil, height: Int, width: Int, layer: String) throws -> [Int] {
        guard height > 0, width > 0 else {
            throw ModuleError(.shapeMismatch, "\(layer): input \(LazyShape(known: input)) is smaller than the window")
        }
        var shape = input
        if let channels { shape[shape.count - 3] = channels }
        shape[shape.count - 2] = height
        shape[shape.count - 1] = width
        return shape
    }
}
