import Testing
@testable import Tokenizers

@Suite struct MergeQueueTests {
    /// Lowest rank first; between equal ranks the leftmost position, as the library merges.
    @Test func popsByRankThenPosition() {
        var queue = MergeQueue(capacity: 8)
        for (rank, position) in [(5, 1), (2, 9), (2, 3), (7, 0), (0, 100_000), (2, 4)] {
            queue.push(rank: rank, position: position)
        }
        var popped: [Int] = []
        while let next = queue.pop() { popped.append(next.position) }
        #expect(popped == [100_000, 3, 4, 9, 1, 0])
    }
}
