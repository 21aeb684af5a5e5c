import NNCore
import Testing

/// `withSeededGenerator` gives each scope its own sequence, however many threads draw at once.
@Suite struct SeededScopeTests {
    @Test func concurrentScopesWithOneSeedDrawTheSameNumbers() async {
        let expected = Tensor.withSeededGenerator(7) { _ = Tensor.rand([3]); return Tensor.rand([64]).toArray() }
        let results = await withTaskGroup(of: [Float]?.self) { group in
            for _ in 0 ..< 8 {
                group.addTask {
                    Tensor.withSeededGenerator(7) {
                        // Interleave with draws from the process-wide generator.
                        _ = Tensor.rand([3])
                        return Tensor.rand([64]).toArray()
                    }
                }
                group.addTask { _ = Tensor.randn([128]); return nil }
            }
            return await group.reduce(into: [[Float]]()) { if let drawn = $1 { $0.append(drawn) } }
        }
        #expect(results.count == 8)
        #expect(results.allSatisfy { $0 == expected })
        #expect(Tensor.withSeededGenerator(8) { Tensor.rand([64]).toArray() } != expected)
    }

    @Test func errorsPassThroughWithTheirType() {
        struct Refused: Error {}
        #expect(throws: Refused.self) {
            try Tensor.withSeededGenerator(1) { () throws(Refused) -> Int in throw Refused() }
        }
    }
}
