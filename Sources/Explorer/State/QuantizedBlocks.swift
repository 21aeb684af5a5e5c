import ModelFiles

/// The 32-element blocks an edit of a quantized tensor touches (ggml blocks run along the row-major order), and
/// their re-quantization in place.
enum QuantizedBlocks {
    static let size = GGUFRequantizer.blockElements

    /// Every element of the blocks holding `indices`, in order.
    static func elements(of indices: [Int]) -> [Int] {
        let blocks = Set(indices.map { $0 / size }).sorted()
        return blocks.flatMap { ($0 * size) ..< ($0 * size + size) }
    }

    /// Replaces each block of `elements` (whole blocks, as `elements(of:)` gives) by what quantizing it to
    /// ggml type `typeID` keeps.
    static func requantize(_ buffer: UnsafeMutableBufferPointer<Float>, blocksOf elements: [Int], typeID: Int) throws {
        var block = [Float](repeating: 0, count: size)
        for start in stride(from: 0, to: elements.count, by: size) {
            let first = elements[start]
            guard first + size <= buffer.count else { continue }
            for i in 0 ..< size { block[i] = buffer[first + i] }
            try GGUFRequantizer.roundTrip(&block, typeID: typeID)
            for i in 0 ..< size { buffer[first + i] = block[i] }
        }
    }
}
