import Foundation
import Testing
import NNCore
import ModelFiles
@testable import Explorer

/// `I` takes parameters, `R` types the learning rate, `:` goes to an index (issue 15 §4).
@Suite struct PromptCommandsTests {
    @Test func initialiserSpecsTakePyTorchsArguments() throws {
        let shape = [400, 300]
        func values(_ spec: String) throws -> [Float] {
            let scratch = Tensor.zeros(shape)
            var generator = SeededGenerator(seed: 7)
            try InitializerSpec.parse(spec)(scratch, generator: &generator)
            return scratch.toArray()
        }
        let normal = try values("normal(0, 0.02)")
        let mean = normal.reduce(0, +) / Float(normal.count)
        let std = (normal.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(normal.count)).squareRoot()
        #expect(abs(mean) < 1e-3 && abs(std - 0.02) < 1e-3, "mean \(mean) std \(std)")
        #expect(abs(try values("normal(mean=1, std=0.5)").reduce(0, +) / 120_000 - 1) < 0.01)
        let uniform = try values("uniform(-0.1, 0.1)")
        #expect(uniform.allSatisfy { $0 >= -0.1 && $0 <= 0.1 } && uniform.max()! > 0.09 && uniform.min()! < -0.09)
        #expect(try values("constant(3)").allSatisfy { $0 == 3 })
        #expect(try values("zeros").allSatisfy { $0 == 0 })
        // xavier_uniform: bound sqrt(6 / (fan_in + fan_out)) = sqrt(6 / 700).
        let bound = (Float(6) / 700).squareRoot()
        let xavier = try values("xavier_uniform")
        #expect(xavier.allSatisfy { abs($0) <= bound } && xavier.max()! > bound * 0.99)
        // kaiming (PyTorch's Linear default, a = √5): bound 1/sqrt(fan_in) = 1/sqrt(300).
        #expect(try values("kaiming").allSatisfy { abs($0) <= 1 / Float(300).squareRoot() })
        for bad in ["normal(0, x)", "constant", "uniform(1, -1)", "gauss(1)", "normal(0, 1, 2)", "xavier(fan=2)", "normal(0"] {
            #expect(throws: ExplorerError.self, "\(bad)") { _ = try InitializerSpec.parse(bad) }
        }
    }

    @Test func theReinitialisePromptAcceptsArguments() throws {
        let state = try openBuiltin()
        #expect(state.select(path: "0.weight"))
        try press(state, "Tab I text:constant(3) Enter")
        #expect(!state.status.isError, "\(state.status.text)")
        let detail = try tensorDetail(state)
        #expect(detail.stats?.min == 3 && detail.stats?.max == 3)
        try press(state, "I text:uniform(-0.1,0.1) Enter")
        let stats = try #require(try tensorDetail(state).stats)
        #expect(stats.min >= -0.1 && stats.max <= 0.1 && stats.max > stats.min)
        try press(state, "I text:bogus(1) Enter")
        #expect(state.status.isError && state.status.text.contains("normal(0, 0.02)"), "\(state.status.text)")
    }

    @Test func aTypedLearningRate() throws {
        let state = try openBuiltin()
        try press(state, "R text:0.003 Enter")
        #expect(state.learningRate == 0.003)
        #expect(state.status.text == "learning rate 0.003")
        try press(state, "R text:-1 Enter")
        #expect(state.status.isError && state.learningRate == 0.003)
        try press(state, "R C-u text:nan Enter")
        #expect(state.status.isError && state.learningRate == 0.003)
    }

    @Test func goToAnIndexOfABigTensor() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A 3000 × 40 matrix and a 3-d tensor, as a browsed file.
        let path = folder + "/big.safetensors"
        let big = [Float](repeating: 0, count: 3000 * 40).enumerated().map { Float($0.offset) }
        let cube = (0 ..< 60).map(Float.init)
        try SafeTensorsWriter.write(tensors: [
            (name: "big", type: .f32, shape: [3000, 40], bytes: big.withUnsafeBytes { Array($0) }),
            (name: "cube", type: .f32, shape: [3, 4, 5], bytes: cube.withUnsafeBytes { Array($0) }),
        ], to: path)
        let state = try ExplorerState(model: try ModelLoader.load(path))
        #expect(state.select(path: "big"))
        try press(state, "Tab : text:1234, Space 7 Enter")
        var detail = try tensorDetail(state)
        #expect(detail.cursorIndex == [1234, 7], "\(state.status.text)")
        #expect(detail.cursorValue == Float(1234 * 40 + 7))
        try press(state, ": text:3000 Enter")
        #expect(state.status.isError && state.status.text.contains("outside dimension 0 of size 3000"))
        #expect(try tensorDetail(state).cursorIndex == [1234, 7])
        #expect(state.select(path: "cube"))
        try press(state, "Tab : text:2,1,3 Enter")
        detail = try tensorDetail(state)
        #expect(detail.cursorIndex == [2, 1, 3])
        #expect(detail.cursorValue == Float(2 * 20 + 1 * 5 + 3))
    }
}
