/// A binary min-heap of candidate merges, each packed as `rank << 32 | position`, so the lowest rank comes first
/// and, between equal ranks, the leftmost position (the order the tokenizers library merges in).
struct MergeQueue {
    private var heap: [UInt64] = []

    init(capacity: Int) { heap.reserveCapacity(capacity) }

    mutating func push(rank: Int, position: Int) {
        heap.append(UInt64(rank) << 32 | UInt64(position))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child] < heap[parent] else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> (rank: Int, position: Int)? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                guard left < heap.count else { break }
                let right = left + 1
                let smaller = right < heap.count && heap[right] < heap[left] ? right : left
                guard heap[smaller] < heap[parent] else { break }
                heap.swapAt(smaller, parent)
                parent = smaller
            }
        }
        return (Int(top >> 32), Int(top & 0xFFFF_FFFF))
    }
}
