import CNNKernels

/// Which compiled variant of the C inner loops (the CNNKernels target) a product runs.
///
/// The kernels are compiled once for any CPU and once for AVX2 + FMA, and the packed product once more for AVX-512;
/// `fastest` is picked once from the CPU's features (and whether the OS saves the wider registers), so one binary
/// is fast on AVX2 and AVX-512 machines and correct everywhere. Every product takes a variant (default `best`), so
/// tests can run each one on the same inputs without global state.
package enum KernelVariant: CaseIterable, Sendable, CustomStringConvertible {
    /// Vector code for the build's baseline CPU (SSE2 on x86-64), multiply then add.
    case portable
    /// 256-bit AVX2 with fused multiply-add.
    case avx2FMA
    /// 512-bit AVX-512 (F + VL) for the packed product (8×32 register tiles, its packing); the AVX2 + FMA kernels
    /// for everything else.
    case avx512

    /// The fastest variant this CPU runs (at most AVX2 + FMA under `NNVIEW_CPU=avx2`, see `CPUFeatureLimit`).
    package static let fastest: KernelVariant = CPUFeatureLimit.limited({
        switch cnn_best_variant() {
        case CNN_VARIANT_AVX512: .avx512
        case CNN_VARIANT_AVX2_FMA: .avx2FMA
        default: .portable
        }
    }())

    /// The variant products use unless told otherwise: the fastest in release builds. Debug builds (the tests)
    /// use the portable one, which rounds the same on every CPU (multiply, then add), so the golden screens and
    /// printed values of the tests do not depend on the machine; `KernelVariantTests` forces each variant.
    #if DEBUG
    package static let best: KernelVariant = .portable
    #else
    package static let best: KernelVariant = fastest
    #endif

    /// Whether this CPU runs the variant (`portable` always does).
    package var isSupported: Bool { cnn_variant_supported(cVariant) != 0 }

    package var description: String {
        switch self {
        case .portable: "portable"
        case .avx2FMA: "avx2+fma"
        case .avx512: "avx512"
        }
    }

    /// The C enumeration value passed to the kernels.
    var cVariant: cnn_variant {
        switch self {
        case .portable: CNN_VARIANT_PORTABLE
        case .avx2FMA: CNN_VARIANT_AVX2_FMA
        case .avx512: CNN_VARIANT_AVX512
        }
    }
}
