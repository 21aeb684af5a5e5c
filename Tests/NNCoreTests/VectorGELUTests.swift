import Foundation
@testable import NNCore
import Testing

// The eight-lane GELU kernels (VectorMath's exp, tanh and erf) against the formulas in Double, on odd sizes (a
// partial last group of lanes) and on inputs from deep in both tails to far out, plus a non-contiguous input.

@Suite struct VectorGELUTests {
    /// 1,003 values from −12 to 12 (odd count: the last group has 3 lanes), plus a few far out.
    static let inputs: [Float] = (0 ..< 1_003).map { -12 + 24 * Float($0) / 1_002 } + [-90, -40, 40, 90, 0, -0.0]

    static func reference(_ x: Double, tanh useTanh: Bool) -> (value: Double, slope: Double) {
        if useTanh {
            let k = (2 / Double.pi).squareRoot(), c = 0.044715
            let t = Foundation.tanh(k * (x + c * x * x * x))
            return (0.5 * x * (1 + t), 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * k * (1 + 3 * c * x * x))
        }
        let e = Foundation.erf(x / 2.0.squareRoot())
        return (0.5 * x * (1 + e), 0.5 * (1 + e) + x * Foundation.exp(-0.5 * x * x) / (2 * Double.pi).squareRoot())
    }

    @Test(arguments: [GELUApproximation.none, .tanh])
    func valuesAndGradientsMatchDoubleFormulas(_ approximate: GELUApproximation) throws {
        let x = try Tensor(Self.inputs, shape: [Self.inputs.count])
        x.requiresGrad = true
        let y = x.gelu(approximate: approximate)
        let upstream = Self.inputs.indices.map { Float(($0 % 7) - 3) / 3 }
        try y.backward(gradient: try Tensor(upstream, shape: [upstream.count]))
        let values = y.toArray(), gradients = try #require(x.grad).toArray()
        for (index, input) in Self.inputs.enumerated() {
            let expected = Self.reference(Double(input), tanh: approximate == .tanh)
            let valueError = Swift.abs(Double(values[index]) - expected.value)
            #expect(valueError <= 2e-6 + 2e-6 * Swift.abs(expected.value), "gelu(\(input)) = \(values[index]), expected \(expected.value)")
            let gradient = Double(upstream[index]) * expected.slope
            #expect(Swift.abs(Double(gradients[index]) - gradient) <= 2e-6 + 2e-6 * Swift.abs(gradient),
                    "gelu′(\(input)) = \(gradients[index]), expected \(gradient)")
        }
    }

    @Test func nonContiguousInputAndNaN() throws {
        let x = try Tensor([0.5, -1, 2, .nan, 3, -0.25], shape: [2, 3]).transpose(0, 1)
        let y = x.gelu(approximate: .tanh).toArray(), z = x.gelu().toArray()
        let ordered: [Float] = [0.5, .nan, -1, 3, 2, -0.25]
        for (index, input) in ordered.enumerated() {
            if input.isNaN {
                #expect(y[index].isNaN && z[index].isNaN)
                continue
            }
            #expect(Swift.abs(Double(y[index]) - Self.reference(Double(input), tanh: true).value) <= 2e-6)
            #expect(Swift.abs(Double(z[index]) - Self.reference(Double(input), tanh: false).value) <= 2e-6)
        }
    }

    @Test func vectorExpMatchesLibmAcrossTheRange() {
        var worst = 0.0
        for start in stride(from: -87.0, to: 88.0, by: 0.37) {
            let v = SIMD8<Float>((0 ..< 8).map { Float(start) + Float($0) * 0.04 })
            let e = VectorMath.exp(v)
            for lane in 0 ..< 8 {
                let expected = Foundation.exp(Double(v[lane]))
                worst = Swift.max(worst, Swift.abs(Double(e[lane]) - expected) / expected)
            }
        }
        #expect(worst < 4e-7, "worst relative error \(worst)")
        #expect(VectorMath.exp(SIMD8<Float>(repeating: -1000))[0] >= 0)
        #expect(VectorMath.exp(SIMD8<Float>(repeating: 1000))[0].isFinite)
    }
}
