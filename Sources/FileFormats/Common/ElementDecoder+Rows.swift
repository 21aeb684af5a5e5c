/// Whole-row conversion for the common floating-point types: one tight loop over raw bytes per row instead of
/// a decoder closure call per element, so a heatmap of a mapped 4096×4096 BF16 tensor converts at memory speed.
extension ElementDecoder {
    /// Converts `count` back-to-back little-endian elements of `type` at `source` into `target`; returns false
    /// (writing nothing) for types without a row converter, which then go through `read` element by element.
    /// Results are bit-identical to `read`, except that F16 NaNs keep their sign and payload.
    static func decodeContiguous(_ type: ElementType, from source: UnsafeRawPointer, count: Int,
                                 into target: UnsafeMutablePointer<Float>) -> Bool {
        switch type {
        case .f32:
            #if _endian(little)
            UnsafeMutableRawPointer(target).copyMemory(from: source, byteCount: count * 4)
            #else
            for i in 0 ..< count {
                target[i] = Float(bitPattern: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
            }
            #endif
            return true
        case .bf16:
            // BF16 is the top half of a Float32: widening the bits is the whole conversion.
            for i in 0 ..< count {
                let bits = UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))
                target[i] = Float(bitPattern: UInt32(bits) << 16)
            }
            return true
        case .f16:
            for i in 0 ..< count {
                target[i] = halfBitsToFloat(UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
            }
            return true
        default:
            return false
        }
    }

    /// IEEE binary16 → Float32 without branches on the value: the exponent and fraction bits shifted into
    /// Float32's places and multiplied by 2¹¹² (the difference of the biases) give every normal and subnormal
    /// value exactly; the all-ones exponent (±Inf, NaN) is patched to Float32's all-ones exponent.
    @inline(__always)
    static func halfBitsToFloat(_ bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let magnitude = UInt32(bits & 0x7FFF)
        let scaled = Float(bitPattern: magnitude << 13) * 0x1p112
        let special = Float(bitPattern: 0x7F80_0000 | (magnitude & 0x3FF) << 13)
        let value = magnitude >= 0x7C00 ? special : scaled
        return Float(bitPattern: value.bitPattern | sign)
    }
}
