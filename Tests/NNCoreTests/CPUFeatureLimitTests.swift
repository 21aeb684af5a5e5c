#if canImport(Glibc)
import Glibc
#endif
import TestSupport
import Testing
@testable import NNCore

/// `NNVIEW_CPU=avx2` limits the kernels chosen at run time to AVX2 + FMA. The choice is read once per process,
/// so the check runs in a child process that sets the variable before anything reads it.
@Suite struct CPUFeatureLimitTests {
    static let hostTest = "CPUFeatureLimitTests/avx2LimitPicksTheAVX2Kernels()"
    static let childFailed: Int32 = 3
    static let childSucceeded: Int32 = 42

    @Test func avx2LimitPicksTheAVX2Kernels() throws {
        if ChildProcess.currentMode?.mode == "cpu-avx2" {
            setenv("NNVIEW_CPU", "AVX2", 1)
            let avx2 = KernelVariant.avx2FMA.isSupported
            let limited = CPUFeatureLimit.avx2Only
                && KernelVariant.fastest == (avx2 ? .avx2FMA : .portable)
                && ConvolutionKernel.matching(.avx2FMA) == (ConvolutionKernel.avx2.isSupported ? .avx2 : .im2col)
                && ConvolutionKernel.matching(.portable) == .im2col
            exit(limited ? Self.childSucceeded : Self.childFailed)
        }
        let pid = try ChildProcess.spawn(hostTest: Self.hostTest, mode: "cpu-avx2")
        #expect(ChildProcess.wait(pid) == Self.childSucceeded, "NNVIEW_CPU=avx2 did not limit the kernels to AVX2")
    }

    /// Without the variable nothing is limited (this process's environment has no NNVIEW_CPU when tests run).
    @Test func noLimitWithoutTheVariable() {
        guard getenv("NNVIEW_CPU") == nil else { return }
        #expect(!CPUFeatureLimit.avx2Only)
        #expect(CPUFeatureLimit.limited(.avx2FMA) == .avx2FMA)
        #expect(CPUFeatureLimit.limited(.portable) == .portable)
    }
}
