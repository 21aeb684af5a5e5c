import ModelFiles
import TerminalUI

/// What a number typed into a prompt becomes in a tensor of a given element type: rounded to what the type holds,
/// refused (with the type's range) when it does not fit, or stored as the type gives it with a note (a float
/// overflowing to inf, underflowing to 0).
enum ValueFitting {
    /// A value the type can hold, and what the person should know about it (nil when it is stored as typed).
    struct Fitted: Equatable {
        var value: Float
        var note: String?
    }

    /// The typed `text` parsed and fitted into `type`. Throws a one-line error naming the range when it does not fit.
    static func fit(_ text: String, into type: ElementType) throws -> Fitted {
        if type == .bool, text.lowercased() == "true" || text.lowercased() == "false" {
            return Fitted(value: text.lowercased() == "true" ? 1 : 0, note: nil)
        }
        guard let typed = Double(text) else {
            throw ExplorerError("not a number: '\(text)' (nothing changed)")
        }
        return try fit(typed, text: text, into: type)
    }

    /// A value as `type` spells it: `-128` for integers, `true`/`false` for BOOL, the exact float otherwise.
    static func text(_ value: Float, as type: ElementType) -> String {
        if type == .bool { return value != 0 ? "true" : "false" }
        if integerRange(type) != nil, value.isFinite, let integer = Int64(exactly: value.rounded()) { return String(integer) }
        return NumberFormat.exact(value)
    }

    /// What `value` (a computed result: scaled, re-initialised) becomes in `type`: integers rounded to nearest
    /// and clamped to the range, BOOL nonzero → true, F16/BF16 rounded (beyond F16's range: ±inf, as a cast gives).
    static func stored(_ value: Float, in type: ElementType) -> Float {
        if type == .bool { return value != 0 && !value.isNaN ? 1 : 0 }
        if let range = integerRange(type) {
            guard !value.isNaN else { return 0 }
            return Float(min(max(Double(value.rounded()), range.lowerBound), range.upperBound))
        }
        switch type {
        case .f16: return roundToHalf(value)
        case .bf16: return roundToBFloat16(value)
        default: return value
        }
    }

    /// `typed` (spelled `text` by the person) fitted into `type`.
    static func fit(_ typed: Double, text: String, into type: ElementType) throws -> Fitted {
        if let range = integerRange(type) {
            let name = type == .bool ? "BOOL" : type.name
            guard typed.isFinite else {
                throw ExplorerError("\(text) does not fit \(name) (\(rangeText(type, range))): nothing changed")
            }
            if type == .bool {
                guard typed == 0 || typed == 1 else {
                    throw ExplorerError("\(text) does not fit BOOL (0/false or 1/true): nothing changed")
                }
                return Fitted(value: Float(typed), note: nil)
            }
            guard typed == typed.rounded(), typed >= range.lowerBound, typed <= range.upperBound else {
                throw ExplorerError("\(text) does not fit \(name) (\(rangeText(type, range))): nothing changed")
            }
            let value = Float(typed)
            // Float32 holds integers exactly only up to 2^24; larger ones show where they are rounded to.
            return Fitted(value: value, note: Double(value) == typed ? nil : "stored as \(Int64(value)) in the editor's Float32")
        }
        switch type {
        case .ggml:
            // A block's scale is an f16: only finite values within its reach are kept.
            guard typed.isFinite, abs(typed) <= 65504 else {
                throw ExplorerError("\(text) does not fit \(type.name) (finite values from -65504 to 65504): nothing changed")
            }
            return Fitted(value: Float(typed), note: nil)
        case .f16:
            if typed.isFinite, abs(typed) > 65504 {
                throw ExplorerError("\(text) does not fit F16 (-65504 to 65504): nothing changed")
            }
            return floating(typed, text: text, type: type, rounded: roundToHalf(Float(typed)))
        case .bf16:
            return floating(typed, text: text, type: type, rounded: roundToBFloat16(Float(typed)))
        default:
            return floating(typed, text: text, type: type, rounded: Float(typed))
        }
    }

    /// A float type's value with a note when it overflowed to ±inf, underflowed to 0 or was rounded.
    private static func floating(_ typed: Double, text: String, type: ElementType, rounded: Float) -> Fitted {
        let name = type.name
        if typed.isFinite && rounded.isInfinite {
            return Fitted(value: rounded, note: "\(text) overflows \(name): stored as \(NumberFormat.exact(rounded))")
        }
        if typed != 0 && typed.isFinite && rounded == 0 {
            return Fitted(value: rounded, note: "\(text) underflows \(name): stored as 0")
        }
        if type != .f32, typed.isFinite, Double(rounded) != typed, Double(Float(typed)) != Double(rounded) {
            return Fitted(value: rounded, note: "rounded to \(name): stored as \(NumberFormat.exact(rounded))")
        }
        return Fitted(value: rounded, note: nil)
    }

    /// The values an integer (or bool) type holds; nil for floating types.
    static func integerRange(_ type: ElementType) -> ClosedRange<Double>? {
        switch type {
        case .bool: return 0 ... 1
        case .u8: return 0 ... 255
        case .i8: return -128 ... 127
        case .u16: return 0 ... 65535
        case .i16: return -32768 ... 32767
        case .u32: return 0 ... 4_294_967_295
        case .i32: return -2_147_483_648 ... 2_147_483_647
        case .u64: return 0 ... 18_446_744_073_709_551_615
        case .i64: return -9_223_372_036_854_775_808 ... 9_223_372_036_854_775_807
        default: return nil
        }
    }

    static func rangeText(_ type: ElementType, _ range: ClosedRange<Double>) -> String {
        if type == .bool { return "0/false or 1/true" }
        func integer(_ x: Double) -> String {
            if x >= 18_446_744_073_709_551_615 { return "18446744073709551615" }
            return x < 0 ? "-" + String(UInt64(-x)) : String(UInt64(x))
        }
        return "integers \(integer(range.lowerBound)) to \(integer(range.upperBound))"
    }

    /// Float32 → the nearest IEEE binary16 value (ties to even), back as Float32.
    static func roundToHalf(_ x: Float) -> Float {
        #if arch(x86_64) || arch(arm64)
        return Float(Float16(x))
        #else
        return x
        #endif
    }

    /// Float32 → the nearest bfloat16 value (ties to even), back as Float32.
    static func roundToBFloat16(_ x: Float) -> Float {
        if x.isNaN { return x }
        let bits = x.bitPattern
        let rounded = bits &+ 0x7FFF &+ ((bits >> 16) & 1)
        return Float(bitPattern: rounded & 0xFFFF_0000)
    }
}
