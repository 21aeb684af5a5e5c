#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `NNVIEW_CPU=avx2` in the environment limits the kernels picked at run time to what an AVX2 + FMA CPU runs,
/// also on a CPU with AVX-512: the products' fastest variant (`KernelVariant.fastest`) and the convolution
/// kernels (`ConvolutionKernel`). It exists to measure and test on an AVX-512 machine the code an AVX2-only CPU
/// runs; any other value, or none, changes nothing. Read once, at the first kernel choice.
package enum CPUFeatureLimit {
    /// Whether `NNVIEW_CPU=avx2` (any case) is set.
    package static let avx2Only: Bool = {
        guard let value = getenv("NNVIEW_CPU") else { return false }
        return String(cString: value).lowercased() == "avx2"
    }()

    /// `variant`, or AVX2 + FMA when the limit is on and `variant` is neither portable nor already AVX2.
    static func limited(_ variant: KernelVariant) -> KernelVariant {
        avx2Only && variant != .portable ? .avx2FMA : variant
    }
}
