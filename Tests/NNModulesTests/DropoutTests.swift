import NNCore
import Testing
@testable import NNModules

@Suite struct DropoutTests {
    @Test func seededMasksAreReproducibleAndScaled() throws {
        let x = Tensor.ones([1000])
        let a = try Dropout(p: 0.5, seed: 1)(x).toArray()
        let b = try Dropout(p: 0.5, seed: 1)(x).toArray()
        #expect(a == b)
        #expect(a.allSatisfy { $0 == 0 || $0 == 2 })
        let dropped = a.filter { $0 == 0 }.count
        #expect(dropped > 430 && dropped < 570)
        #expect(try Dropout(p: 0.5, seed: 2)(x).toArray() != a)
    }

    @Test func offInEvalModeAndAtTheExtremes() throws {
        let x = Tensor.rand([4, 5])
        let net = Sequential(try Dropout(p: 0.9, seed: 3), Identity())
        net.eval()
        #expect(!net.isTraining)
        #expect(try net(x).equal(x))
        net.train()
        #expect(try !net(x).equal(x))
        #expect(try Dropout(p: 0)(x).equal(x))
        #expect(try Dropout(p: 1)(x).toArray().allSatisfy { $0 == 0 })
        #expect(throws: ModuleError.self) { try Dropout(p: 1.5) }
    }
}
