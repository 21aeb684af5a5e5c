/// Decodes GGUF tensors to Float32, block by block (GG:src/ggml-quants.c `dequantize_row_*`; formats.md §3).
///
/// Plain F32/F16/BF16 and the quantized Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K and Q6_K are decodable; other ggml types are
/// listed and shown but decoding them throws a clear error.
public enum GGUFDequantizer {
    /// ggml type ids `floats(of:)` can decode.
    public static let decodableTypeIDs: Set<Int> = [0, 1, 30, 2, 3, 6, 7, 8, 12, 14]

    /// Whether `type` can be decoded by `floats(of:)`.
    public static func canDecode(_ type: ElementType) -> Bool {
        switch type {
        case .f32, .f16, .bf16: return true
        case .ggml(let id): return decodableTypeIDs.contains(id)
        default: return false
        }
    }

    /// Every element of `record` in row-major (PyTorch) order.
    public static func floats(of record: TensorRecord) throws -> [Float] {
        let count = record.elementCount
        let raw = record.storage.bytes
        let typeID: Int
        switch record.type {
        case .f32: typeID = 0
        case .f16: typeID = 1
        case .bf16: typeID = 30
        case .ggml(let id): typeID = id
        default: throw ModelFileError("tensor \(record.name): \(record.type) is not a GGUF float or quantized type")
        }
        guard decodableTypeIDs.contains(typeID), let layout = GGMLTypeLayout.of(typeID) else {
            throw ModelFileError("tensor \(record.name): \(GGMLTypeNames.name(of: typeID)) is not decodable by nnview")
        }
        guard count % layout.blockElements == 0 else {
            throw ModelFileError("tensor \(record.name): \(count) elements is not a whole number of blocks")
        }
        let blocks = count / layout.blockElements
        let (needed, overflow) = blocks.multipliedReportingOverflow(by: layout.blockBytes)
        let start = record.elementOffset * layout.blockBytes / layout.blockElements
        guard !overflow, record.elementOffset % layout.blockElements == 0, start >= 0, start <= raw.count,
              needed <= raw.count - start else {
            throw ModelFileError("tensor \(record.name): needs \(needed) bytes but its storage holds \(raw.count)")
        }
        let source = UnsafeRawBufferPointer(rebasing: raw[start ..< start + needed])
        var output = [Float](repeating: 0, count: count)
        output.withUnsafeMutableBufferPointer { out in
            for block in 0 ..< blocks {
                let input = UnsafeRawBufferPointer(rebasing: source[block * layout.blockBytes ..< (block + 1) * layout.blockBytes])
                let target = UnsafeMutableBufferPointer(rebasing: out[block * layout.blockElements ..< (block + 1) * layout.blockElements])
                decodeBlock(typeID, input, target)
            }
        }
        return output
    }

    static func half(_ raw: UnsafeRawBufferPointer, _ offset: Int) -> Float {
        halfToFloat(UInt16(raw[offset]) | UInt16(raw[offset + 1]) << 8)
    }

    /// IEEE 754 binary16 → Float (subnormals, infinities and NaN included).
    public static func halfToFloat(_ bits: UInt16) -> Float {
        let sign: UInt32 = UInt32(bits & 0x8000) << 16
        let exponent = Int((bits >> 10) & 0x1F)
        let mantissa = UInt32(bits & 0x3FF)
        if exponent == 0 {
            let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
            return sign != 0 ? -magnitude : magnitude
        }
        if exponent == 31 { return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13) }
        return Float(bitPattern: sign | UInt32(exponent + 112) << 23 | mantissa << 13)
    }

    static func decodeBlock(_ typeID: Int, _ x: UnsafeRawBufferPointer, _ y: UnsafeMutableBufferPointer<Float>) {
        switch typeID {
        case 0:
            y[0] = Float(bitPattern: UInt32(littleEndian: x.loadUnaligned(as: UInt32.self)))
        case 1:
            y[0] = half(x, 0)
        case 30:
            y[0] = Float(bitPattern: UInt32(x[0]) << 16 | UInt32(x[1]) << 24)
        case 8:  // Q8_0 {f16 d; i8 qs[32]}
            let d = half(x, 0)
            for j in 0 ..< 32 { y[j] = Float(Int8(bitPattern: x[2 + j])) * d }
        case 2:  // Q4_0 {f16 d; u8 qs[16]}
            let d = half(x, 0)
            for j in 0 ..< 16 {
                y[j] = Float(Int(x[2 + j] & 15) - 8) * d
                y[j + 16] = Float(Int(x[2 + j] >> 4) - 8) * d
            }
        case 3:  // Q4_1 {f16 d; f16 m; u8 qs[16]}
            let d = half(x, 0), m = half(x, 2)
            for j in 0 ..< 16 {
                y[j] = Float(x[4 + j] & 15) * d + m
                y[j + 16] = Float(x[4 + j] >> 4) * d + m
            }
        case 6:  // Q5_0 {f16 d; u8 qh[4]; u8 qs[16]}: the fifth bit of element j is bit j of qh
            let d = half(x, 0)
            let qh = UInt32(x[2]) | UInt32(x[3]) << 8 | UInt32(x[4]) << 16 | UInt32(x[5]) << 24
            for j in 0 ..< 16 {
                let high0 = Int((qh >> UInt32(j)) & 1) << 4, high1 = Int((qh >> UInt32(j + 16)) & 1) << 4
                y[j] = Float((Int(x[6 + j] & 15) | high0) - 16) * d
                y[j + 16] = Float((Int(x[6 + j] >> 4) | high1) - 16) * d
            }
        case 7:  // Q5_1 {f16 d; f16 m; u8 qh[4]; u8 qs[16]}
            let d = half(x, 0), m = half(x, 2)
            let qh = UInt32(x[4]) | UInt32(x[5]) << 8 | UInt32(x[6]) << 16 | UInt32(x[7]) << 24
            for j in 0 ..< 16 {
                let high0 = Int((qh >> UInt32(j)) & 1) << 4, high1 = Int((qh >> UInt32(j + 16)) & 1) << 4
                y[j] = Float(Int(x[8 + j] & 15) | high0) * d + m
                y[j + 16] = Float(Int(x[8 + j] >> 4) | high1) * d + m
            }
        case 12:
            decodeQ4K(x, y)
        case 14:
            decodeQ6K(x, y)
        default:
            preconditionFailure("decodeBlock called for undecodable type \(typeID)")
        }
    }

    /// Q4_K `{f16 d; f16 dmin; u8 scales[12]; u8 qs[128]}`: 8 sub-blocks of 32 with 6-bit scales and mins.
    static func decodeQ4K(_ x: UnsafeRawBufferPointer, _ y: UnsafeMutableBufferPointer<Float>) {
        let d = half(x, 0), dmin = half(x, 2)
        let scales = 4, quants = 16
        func scaleMin(_ j: Int) -> (Float, Float) {
            if j < 4 { return (Float(x[scales + j] & 63), Float(x[scales + j + 4] & 63)) }
            let s = (x[scales + j + 4] & 0xF) | ((x[scales + j - 4] >> 6) << 4)
            let m = (x[scales + j + 4] >> 4) | ((x[scales + j] >> 6) << 4)
            return (Float(s), Float(m))
        }
        var out = 0
        var q = quants
        for chunk in 0 ..< 4 {
            let is0 = chunk * 2
            let (s1, m1) = scaleMin(is0)
            let (s2, m2) = scaleMin(is0 + 1)
            let d1 = d * s1, min1 = dmin * m1, d2 = d * s2, min2 = dmin * m2
            for l in 0 ..< 32 { y[out + l] = d1 * Float(x[q + l] & 0xF) - min1 }
            for l in 0 ..< 32 { y[out + 32 + l] = d2 * Float(x[q + l] >> 4) - min2 }
            out += 64
            q += 32
        }
    }

    /// Q6_K `{u8 ql[128]; u8 qh[64]; i8 scales[16]; f16 d}`: 6-bit quants in two halves of 128.
    static func decodeQ6K(_ x: UnsafeRawBufferPointer, _ y: UnsafeMutableBufferPointer<Float>) {
        let d = half(x, 208)
        var ql = 0, qh = 128, sc = 192, out = 0
        for _ in 0 ..< 2 {
            for l in 0 ..< 32 {
                let scale = l / 16
                let q1 = Int((x[ql + l] & 0xF) | ((x[qh + l] >> 0) & 3) << 4) - 32
                let q2 = Int((x[ql + l + 32] & 0xF) | ((x[qh + l] >> 2) & 3) << 4) - 32
                let q3 = Int((x[ql + l] >> 4) | ((x[qh + l] >> 4) & 3) << 4) - 32
                let q4 = Int((x[ql + l + 32] >> 4) | ((x[qh + l] >> 6) & 3) << 4) - 32
                y[out + l] = d * Float(Int8(bitPattern: x[sc + scale])) * Float(q1)
                y[out + l + 32] = d * Float(Int8(bitPattern: x[sc + scale + 2])) * Float(q2)
                y[out + l + 64] = d * Float(Int8(bitPattern: x[sc + scale + 4])) * Float(q3)
                y[out + l + 96] = d * Float(Int8(bitPattern: x[sc + scale + 6])) * Float(q4)
            }
            out += 128
            ql += 64
            qh += 32
            sc += 8
        }
    }
}
