import NNCore
import Testing
import TestSupport

@Suite struct SpecialFunctionTests {
    // Values from Python's math.erf / math.cos / math.sin.
    @Test func values() throws {
        let x = Tensor([-2, -0.5, 0, 0.3, 1.5])
        #expect(close(x.erf().toArray(), [-0.9953222650, -0.5204998778, 0, 0.3286267595, 0.9661051465]))
        #expect(close(x.cos().toArray(), [-0.4161468365, 0.8775825619, 1, 0.9553364891, 0.0707372017]))
        #expect(close(x.sin().toArray(), [-0.9092974268, -0.4794255386, 0, 0.2955202067, 0.9974949866]))
    }

    // d erf/dx = 2/√π e^(−x²), d cos/dx = −sin x, d sin/dx = cos x: checked against finite differences.
    @Test func gradients() throws {
        try checkGradients([sample([3, 4], seed: 1, low: -2, high: 2)]) { $0[0].erf() }
        try checkGradients([sample([3, 4], seed: 2, low: -3, high: 3)]) { $0[0].cos() }
        try checkGradients([sample([3, 4], seed: 3, low: -3, high: 3)]) { $0[0].sin() }
    }
}
