/// How torch's storage classes and dtypes map to `ElementType` (torch/storage.py `_dtype_to_storage_type_map`).
enum PyTorchElementTypes {
    /// `FloatStorage` → `.f32`, … (nil for quantized and complex-double storages nnview cannot show).
    static func storageType(_ className: String) -> ElementType? {
        switch className {
        case "DoubleStorage": return .f64
        case "FloatStorage": return .f32
        case "HalfStorage": return .f16
        case "BFloat16Storage": return .bf16
        case "LongStorage": return .i64
        case "IntStorage": return .i32
        case "ShortStorage": return .i16
        case "CharStorage": return .i8
        case "ByteStorage", "UntypedStorage": return .u8
        case "BoolStorage": return .bool
        case "ComplexFloatStorage": return .c64
        default: return nil
        }
    }

    /// `torch.float32` → `.f32`, … (the dtype argument of `_rebuild_tensor_v3`).
    static func dtype(_ name: String) -> ElementType? {
        switch name {
        case "float64", "double": return .f64
        case "float32", "float": return .f32
        case "float16", "half": return .f16
        case "bfloat16": return .bf16
        case "int64", "long": return .i64
        case "int32", "int": return .i32
        case "int16", "short": return .i16
        case "int8": return .i8
        case "uint8": return .u8
        case "uint16": return .u16
        case "uint32": return .u32
        case "uint64": return .u64
        case "bool": return .bool
        case "complex64", "cfloat": return .c64
        case "float8_e4m3fn": return .f8e4m3
        case "float8_e5m2": return .f8e5m2
        case "float8_e4m3fnuz": return .f8e4m3fnuz
        case "float8_e5m2fnuz": return .f8e5m2fnuz
        case "float8_e8m0fnu": return .f8e8m0
        default: return nil
        }
    }

    /// Bytes per element of a plain type.
    static func byteSize(_ type: ElementType) -> Int { (type.bitsPerElement ?? 8) / 8 }
}
