import Testing
@testable import FileFormats
@testable import ModelFiles

/// The whole-row converters and `withFloatRows`' fast paths against the per-element decoder they bypass.
@Suite struct RowDecodingTests {
    /// Every one of the 65,536 half-precision patterns converts exactly as `ElementDecoder.half` does (NaNs
    /// stay NaN; the row converter keeps their payload and sign).
    @Test func halfConversionAgreesOnEveryBitPattern() {
        for bits in 0 ... UInt16.max {
            let fast = ElementDecoder.halfBitsToFloat(bits), slow = ElementDecoder.half(bits)
            if slow.isNaN {
                #expect(fast.isNaN)
            } else if fast.bitPattern != slow.bitPattern {
                Issue.record("half 0x\(String(bits, radix: 16)): \(fast) ≠ \(slow)")
            }
        }
    }

    /// A little-endian byte buffer holding `count` random elements of `type` (all bit patterns, NaNs included).
    func randomBytes(_ type: ElementType, count: Int, seed: inout UInt64) -> [UInt8] {
        let width = type.bitsPerElement! / 8
        return (0 ..< count * width).map { _ in
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: seed >> 33)
        }
    }

    func same(_ a: Float, _ b: Float) -> Bool { a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN) }

    /// Rows handed out by `withFloatRows` (direct mapped Float32s, row conversion, or the strided path) equal
    /// `readFloat` element by element, for odd shapes, unaligned starts, column steps and a transposed view.
    @Test(arguments: [ElementType.f32, .bf16, .f16, .i16])
    func rowsMatchElementReads(type: ElementType) throws {
        var seed: UInt64 = 42
        for (rows, cols, leadingBytes) in [(1, 1, 0), (3, 7, 1), (5, 33, 2), (17, 9, 4), (2, 1031, 3)] {
            let count = rows * cols
            let width = type.bitsPerElement! / 8
            let bytes = [UInt8](repeating: 0xAB, count: leadingBytes) + randomBytes(type, count: count, seed: &seed)
            let buffer = ByteBuffer(copying: bytes)
            let storage = StorageReference(buffer: buffer, byteOffset: leadingBytes, byteCount: count * width, key: "t")
            let plain = TensorRecord(name: "t", type: type, shape: [rows, cols], storage: storage)
            let transposed = TensorRecord(name: "t", type: type, shape: [cols, rows], strides: [1, cols], storage: storage)
            for record in [plain, transposed] {
                let (matrixRows, matrixCols) = record.matrixShape
                for step in [1, 2, 3] {
                    var visited = 0
                    try record.withFloatRows(0 ..< matrixRows, columnStep: step) { row, values in
                        visited += 1
                        #expect(values.count == (matrixCols - 1) / step + 1)
                        for (index, value) in values.enumerated() {
                            let expected = try! record.readFloat(at: row * matrixCols + index * step)
                            if !same(value, expected) {
                                Issue.record("\(type) \(record.shape) row \(row) column \(index * step): \(value) ≠ \(expected)")
                            }
                        }
                    }
                    #expect(visited == matrixRows)
                }
            }
        }
    }
}
