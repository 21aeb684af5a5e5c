/// How one tensor's elements are stored in a file.
///
/// The raw values are safetensors' dtype names. GGUF's block-quantized types are `.ggml(id)`
/// (see formats.md §3); they are decoded block by block.
public enum ElementType: Hashable, Sendable, CustomStringConvertible {
    case f64, f32, f16, bf16
    case i64, i32, i16, i8
    case u64, u32, u16, u8
    case bool
    case c64
    case f8e4m3, f8e5m2, f8e8m0, f8e4m3fnuz, f8e5m2fnuz
    case f6e2m3, f6e3m2, f4
    /// A ggml block-quantized type, by its numeric id in ggml.h.
    case ggml(Int)

    /// The safetensors spelling of every plain type, in the format's enum order.
    public static let safetensorsNames: [(String, ElementType)] = [
        ("BOOL", .bool), ("F4", .f4), ("F6_E2M3", .f6e2m3), ("F6_E3M2", .f6e3m2), ("U8", .u8), ("I8", .i8),
        ("F8_E5M2", .f8e5m2), ("F8_E4M3", .f8e4m3), ("F8_E8M0", .f8e8m0), ("F8_E4M3FNUZ", .f8e4m3fnuz),
        ("F8_E5M2FNUZ", .f8e5m2fnuz), ("I16", .i16), ("U16", .u16), ("F16", .f16), ("BF16", .bf16),
        ("I32", .i32), ("U32", .u32), ("F32", .f32), ("C64", .c64), ("F64", .f64), ("I64", .i64), ("U64", .u64),
    ]

    /// Parses a safetensors dtype name (`"F32"`, `"BF16"`, …).
    public init?(safetensorsName: String) {
        guard let match = Self.safetensorsNames.first(where: { $0.0 == safetensorsName }) else { return nil }
        self = match.1
    }

    /// The safetensors name, or a ggml label for quantized types.
    public var name: String {
        if case .ggml(let id) = self { return GGMLTypeNames.name(of: id) }
        return Self.safetensorsNames.first(where: { $0.1 == self })!.0
    }

    public var description: String { name }

    /// Bits per element for plain types; nil for block-quantized ones.
    public var bitsPerElement: Int? {
        switch self {
        case .bool, .u8, .i8, .f8e4m3, .f8e5m2, .f8e8m0, .f8e4m3fnuz, .f8e5m2fnuz: return 8
        case .f4: return 4
        case .f6e2m3, .f6e3m2: return 6
        case .i16, .u16, .f16, .bf16: return 16
        case .i32, .u32, .f32: return 32
        case .c64, .f64, .i64, .u64: return 64
        case .ggml: return nil
        }
    }

    /// Whether values of this type can be shown and converted to Float32 element by element.
    public var isConvertible: Bool {
        switch self {
        case .c64, .f4, .f6e2m3, .f6e3m2: return false
        default: return true
        }
    }
}

/// Labels for ggml type ids (formats.md §3).
public enum GGMLTypeNames {
    static let names: [Int: String] = [
        0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 6: "Q5_0", 7: "Q5_1", 8: "Q8_0", 9: "Q8_1",
        10: "Q2_K", 11: "Q3_K", 12: "Q4_K", 13: "Q5_K", 14: "Q6_K", 15: "Q8_K", 16: "IQ2_XXS", 17: "IQ2_XS",
        18: "IQ3_XXS", 19: "IQ1_S", 20: "IQ4_NL", 21: "IQ3_S", 22: "IQ2_S", 23: "IQ4_XS", 24: "I8", 25: "I16",
        26: "I32", 27: "I64", 28: "F64", 29: "IQ1_M", 30: "BF16", 34: "TQ1_0", 35: "TQ2_0", 39: "MXFP4",
        40: "NVFP4", 41: "Q1_0", 42: "Q2_0",
    ]

    /// "Q4_K" for 12, "GGML_TYPE_99" for an unknown id.
    public static func name(of id: Int) -> String { names[id] ?? "GGML_TYPE_\(id)" }
}
