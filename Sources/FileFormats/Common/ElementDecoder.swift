/// Converts one stored element to Float32, for every type that has a per-element meaning.
///
/// The switch on the type happens once (in `init`); the returned reader is then called per element.
struct ElementDecoder: Sendable {
    /// Bytes per element.
    let byteWidth: Int
    /// Reads the element starting at the pointer (unaligned reads are fine).
    let read: @Sendable (UnsafeRawPointer) -> Float

    init(_ type: ElementType) throws {
        switch type {
        case .f32: byteWidth = 4; read = { Float(bitPattern: UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self))) }
        case .f64: byteWidth = 8; read = { Float(Double(bitPattern: UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)))) }
        case .f16: byteWidth = 2; read = { ElementDecoder.half(UInt16(littleEndian: $0.loadUnaligned(as: UInt16.self))) }
        case .bf16: byteWidth = 2; read = { Float(bitPattern: UInt32(UInt16(littleEndian: $0.loadUnaligned(as: UInt16.self))) << 16) }
        case .i64: byteWidth = 8; read = { Float(Int64(littleEndian: $0.loadUnaligned(as: Int64.self))) }
        case .i32: byteWidth = 4; read = { Float(Int32(littleEndian: $0.loadUnaligned(as: Int32.self))) }
        case .i16: byteWidth = 2; read = { Float(Int16(littleEndian: $0.loadUnaligned(as: Int16.self))) }
        case .i8: byteWidth = 1; read = { Float($0.load(as: Int8.self)) }
        case .u64: byteWidth = 8; read = { Float(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }
        case .u32: byteWidth = 4; read = { Float(UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self))) }
        case .u16: byteWidth = 2; read = { Float(UInt16(littleEndian: $0.loadUnaligned(as: UInt16.self))) }
        case .u8: byteWidth = 1; read = { Float($0.load(as: UInt8.self)) }
        case .bool: byteWidth = 1; read = { $0.load(as: UInt8.self) != 0 ? 1 : 0 }
        case .f8e4m3: byteWidth = 1; read = { ElementDecoder.float8($0.load(as: UInt8.self), exponentBits: 4, bias: 7, kind: .finiteOnly) }
        case .f8e5m2: byteWidth = 1; read = { ElementDecoder.float8($0.load(as: UInt8.self), exponentBits: 5, bias: 15, kind: .ieee) }
        case .f8e4m3fnuz: byteWidth = 1; read = { ElementDecoder.float8($0.load(as: UInt8.self), exponentBits: 4, bias: 8, kind: .unsignedZero) }
        case .f8e5m2fnuz: byteWidth = 1; read = { ElementDecoder.float8($0.load(as: UInt8.self), exponentBits: 5, bias: 16, kind: .unsignedZero) }
        case .f8e8m0:
            byteWidth = 1
            read = { let e = $0.load(as: UInt8.self); return e == 0xFF ? .nan : Float(sign: .plus, exponent: Int(e) - 127, significand: 1) }
        case .c64, .f4, .f6e2m3, .f6e3m2, .ggml:
            throw ModelFileError("\(type) elements cannot be converted one by one to Float32")
        }
    }

    /// IEEE binary16 → Float32 (exact), without relying on the platform's `Float16`.
    static func half(_ bits: UInt16) -> Float {
        let sign: FloatingPointSign = bits & 0x8000 != 0 ? .minus : .plus
        let exponent = Int(bits >> 10 & 0x1F)
        let fraction = Float(bits & 0x3FF)
        switch exponent {
        case 0: return Float(sign: sign, exponent: -24, significand: fraction)
        case 31: return fraction == 0 ? (sign == .minus ? -.infinity : .infinity) : .nan
        default: return Float(sign: sign, exponent: exponent - 15, significand: 1 + fraction / 1024)
        }
    }

    /// How a float8 variant spends its top codes.
    enum Float8Kind {
        /// E5M2: exponent all ones is inf (fraction 0) or NaN.
        case ieee
        /// E4M3FN: no infinities; only S.1111.111 is NaN.
        case finiteOnly
        /// FNUZ variants: no negative zero; 0x80 is the only NaN.
        case unsignedZero
    }

    static func float8(_ byte: UInt8, exponentBits: Int, bias: Int, kind: Float8Kind) -> Float {
        let mantissaBits = 7 - exponentBits
        let sign: FloatingPointSign = byte & 0x80 != 0 ? .minus : .plus
        let exponent = Int(byte >> mantissaBits) & ((1 << exponentBits) - 1)
        let mantissa = Int(byte) & ((1 << mantissaBits) - 1)
        let topExponent = (1 << exponentBits) - 1
        switch kind {
        case .ieee where exponent == topExponent:
            return mantissa == 0 ? (sign == .minus ? -.infinity : .infinity) : .nan
        case .finiteOnly where exponent == topExponent && mantissa == (1 << mantissaBits) - 1:
            return .nan
        case .unsignedZero where byte == 0x80:
            return .nan
        default:
            break
        }
        let scale = Float(1 << mantissaBits)
        if exponent == 0 { return Float(sign: sign, exponent: 1 - bias, significand: Float(mantissa) / scale) }
        return Float(sign: sign, exponent: exponent - bias, significand: 1 + Float(mantissa) / scale)
    }
}
