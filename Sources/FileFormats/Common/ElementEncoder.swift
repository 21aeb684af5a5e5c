/// Converts Float32 values back to the bytes of a plain element type (the inverse of `ElementDecoder`), so an
/// edited tensor is written in the type it was read in. Values are expected to be representable (the explorer
/// rounds them to the type first); integers are rounded to nearest and clamped, as a last guard.
public enum ElementEncoder {
    /// Whether values can be written as `type`.
    public static func canEncode(_ type: ElementType) -> Bool {
        switch type {
        case .f64, .f32, .f16, .bf16, .i64, .i32, .i16, .i8, .u64, .u32, .u16, .u8, .bool: return true
        default: return false
        }
    }

    /// Little-endian bytes of `values` as `type`.
    public static func bytes(of values: [Float], as type: ElementType) throws -> [UInt8] {
        var out: [UInt8] = []
        func append<T: FixedWidthInteger>(_ x: T) {
            withUnsafeBytes(of: x.littleEndian) { out.append(contentsOf: $0) }
        }
        func integer<T: FixedWidthInteger>(_ v: Float, _: T.Type) -> T {
            guard v.isFinite else { return 0 }
            return T(clamping: Int64(exactly: v.rounded()) ?? (v < 0 ? Int64.min : Int64.max))
        }
        switch type {
        case .f32: for v in values { append(v.bitPattern) }
        case .f64: for v in values { append(Double(v).bitPattern) }
        case .f16: for v in values { append(halfBits(v)) }
        case .bf16: for v in values { append(bfloat16Bits(v)) }
        case .i64: for v in values { append(integer(v, Int64.self)) }
        case .i32: for v in values { append(integer(v, Int32.self)) }
        case .i16: for v in values { append(integer(v, Int16.self)) }
        case .i8: for v in values { append(integer(v, Int8.self)) }
        case .u64:
            for v in values { append(v >= 1.8446744e19 ? UInt64.max : v > 0 ? UInt64(v.rounded()) : 0) }
        case .u32: for v in values { append(integer(v, UInt32.self)) }
        case .u16: for v in values { append(integer(v, UInt16.self)) }
        case .u8: for v in values { append(integer(v, UInt8.self)) }
        case .bool: for v in values { out.append(v != 0 && !v.isNaN ? 1 : 0) }
        default: throw ModelFileError("cannot write \(type) elements")
        }
        return out
    }

    /// IEEE binary16 bits of the nearest half (ties to even).
    public static func halfBits(_ x: Float) -> UInt16 {
        #if arch(x86_64) || arch(arm64)
        return Float16(x).bitPattern
        #else
        let bits = x.bitPattern
        let sign = UInt16((bits >> 16) & 0x8000)
        if x.isNaN { return sign | 0x7E00 }
        let magnitude = abs(x)
        if magnitude >= 65520 { return sign | 0x7C00 }
        if magnitude < 5.9604645e-08 / 2 { return sign }
        let exponent = Int(magnitude.exponent)
        if exponent < -14 { return sign | UInt16((magnitude / 5.9604645e-08).rounded(.toNearestOrEven)) }
        let fraction = ((magnitude / Float(sign: .plus, exponent: exponent, significand: 1)) - 1) * 1024
        let rounded = UInt16(fraction.rounded(.toNearestOrEven))
        return sign | (UInt16(exponent + 15) << 10 + rounded)
        #endif
    }

    /// bfloat16 bits of the nearest value (ties to even; NaN stays NaN).
    public static func bfloat16Bits(_ x: Float) -> UInt16 {
        if x.isNaN { return UInt16(x.bitPattern >> 16) | 0x0040 }
        let bits = x.bitPattern
        return UInt16((bits &+ 0x7FFF &+ ((bits >> 16) & 1)) >> 16)
    }
}
