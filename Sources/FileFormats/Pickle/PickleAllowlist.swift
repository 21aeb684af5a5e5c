/// The globals a checkpoint may name: torch's `weights_only` list (formats.md §2, Security).
///
/// Anything else is refused when the pickle names it, before any value is built from it.
public enum PickleAllowlist {
    /// Modules that are refused whatever the name, as torch does.
    static let blockedModules: Set<String> = ["sys", "os", "posix", "nt", "subprocess"]

    static let exact: Set<String> = [
        "collections.OrderedDict", "collections.Counter",
        "torch.nn.parameter.Parameter", "torch.Size", "torch.Tensor", "torch.device",
        "torch.serialization._get_layout", "torch._tensor._rebuild_from_type_v2",
        "_codecs.encode", "builtins.bytearray", "builtins.set", "builtins.frozenset", "builtins.complex",
        "torch.storage.UntypedStorage", "torch.storage.TypedStorage",
    ]

    /// `torch.<X>Storage` classes (torch/storage.py `_dtype_to_storage_type_map`).
    public static let storageClasses: Set<String> = [
        "Double", "Float", "Half", "Long", "Int", "Short", "Char", "Byte", "Bool", "BFloat16",
        "ComplexDouble", "ComplexFloat", "QInt8", "QInt32", "QUInt8", "QUInt4x2", "QUInt2x4", "Untyped",
    ]

    /// `torch.<dtype>` names a pickle may refer to (dtypes pickle as globals).
    public static let dtypeNames: Set<String> = [
        "float64", "double", "float32", "float", "float16", "half", "bfloat16", "int64", "long", "int32", "int",
        "int16", "short", "int8", "uint8", "bool", "uint16", "uint32", "uint64", "complex64", "cfloat",
        "complex128", "cdouble", "complex32", "chalf", "qint8", "qint32", "quint8", "quint4x2", "quint2x4",
        "float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz", "float8_e8m0fnu",
    ]

    static let otherTorchNames: Set<String> = [
        "per_tensor_affine", "per_channel_affine", "per_tensor_symmetric", "per_channel_symmetric",
        "per_channel_affine_float_qparams", "strided", "sparse_coo", "sparse_csr", "_mkldnn",
    ]

    /// Whether `module.name` may appear in a checkpoint's pickle.
    public static func allows(module: String, name: String) -> Bool {
        let rootModule = module.split(separator: ".").first.map(String.init) ?? module
        if blockedModules.contains(rootModule) { return false }
        if exact.contains("\(module).\(name)") { return true }
        if module == "torch._utils" { return name.hasPrefix("_rebuild_") }
        if module == "torch" {
            if name.hasSuffix("Storage") { return storageClasses.contains(String(name.dropLast("Storage".count))) }
            if name.hasSuffix("Tensor") { return storageClasses.contains(String(name.dropLast("Tensor".count))) }
            return dtypeNames.contains(name) || otherTorchNames.contains(name)
        }
        return false
    }
}
