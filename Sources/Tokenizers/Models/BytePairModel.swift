/// Byte-pair encoding: a word starts as one symbol per scalar and adjacent pairs are merged, lowest merge rank
/// first, until no pair of neighbours has a merge.
///
/// The symbols form a linked list and candidate merges wait in a heap (`MergeQueue`); a candidate whose symbols have
/// changed since it was queued is skipped when popped. Each merge queues at most two candidates, so a word of n
/// scalars costs O(n log n), whatever its length.
struct BytePairModel: TokenizerModel {
    let vocabulary: Vocabulary
    /// Rank and resulting id of each mergeable pair, keyed by `left << 32 | right` (ids, not strings).
    let merges: [UInt64: (rank: Int32, id: Int32)]
    let unknownID: Int?
    let fuseUnknown: Bool
    /// Unknown scalars become their UTF-8 bytes spelled `<0xAB>` when all those tokens exist.
    let byteFallback: Bool
    let continuingPrefix: [Unicode.Scalar]
    let endOfWordSuffix: [Unicode.Scalar]
    /// A word that is itself a token is not merged (Llama 3's tokenizers).
    let ignoreMerges: Bool

    static func pairKey(_ left: Int, _ right: Int) -> UInt64 { UInt64(left) << 32 | UInt64(right) }

    func tokenize(_ word: [Unicode.Scalar], into ids: inout [Int]) {
        if word.isEmpty { return }
        if ignoreMerges, let id = vocabulary.id(forScalars: word) {
            ids.append(id)
            return
        }
        var symbols = initialSymbols(word)
        mergeAll(&symbols)
        ids.append(contentsOf: symbols)
    }

    /// One id per scalar (with the prefix on all but the first and the suffix on the last); unknown scalars as
    /// bytes, the unknown token (consecutive ones fused if asked) or dropped, as the library does.
    private func initialSymbols(_ word: [Unicode.Scalar]) -> [Int] {
        var symbols: [Int] = []
        symbols.reserveCapacity(word.count)
        var previousWasUnknown = false
        for (index, scalar) in word.enumerated() {
            var spelled: [Unicode.Scalar] = []
            if index > 0 { spelled += continuingPrefix }
            spelled.append(scalar)
            if index == word.count - 1 { spelled += endOfWordSuffix }
            if let id = vocabulary.id(forScalars: spelled) {
                symbols.append(id)
                previousWasUnknown = false
                continue
            }
            if byteFallback {
                let byteIDs = String(scalar).utf8.map { vocabulary.id(for: Self.byteToken($0)) }
                if byteIDs.allSatisfy({ $0 != nil }) {
                    symbols.append(contentsOf: byteIDs.map { $0! })
                    previousWasUnknown = false
                    continue
                }
            }
            if let unknownID {
                if !(fuseUnknown && previousWasUnknown) { symbols.append(unknownID) }
                previousWasUnknown = true
            }
        }
        return symbols
    }

    static func byteToken(_ byte: UInt8) -> String {
        let hex = String(byte, radix: 16, uppercase: true)
        return "<0x" + (hex.count == 1 ? "0" + hex : hex) + ">"
    }

    private func rank(_ left: Int, _ right: Int) -> (rank: Int32, id: Int32)? {
        merges[Self.pairKey(left, right)]
    }

    private func mergeAll(_ symbols: inout [Int]) {
        let count = symbols.count
        guard count > 1 else { return }
        // Linked list over positions; a merged-away position gets `alive = false`.
        var next = Array(1 ... count)
        next[count - 1] = -1
        var previous = Array(-1 ..< count - 1)
        var alive = [Bool](repeating: true, count: count)
        var queue = MergeQueue(capacity: count)
        for position in 0 ..< count - 1 {
            if let merge = rank(symbols[position], symbols[position + 1]) {
                queue.push(rank: Int(merge.rank), position: position)
            }
        }
        while let candidate = queue.pop() {
            let position = candidate.position
            guard alive[position], next[position] >= 0 else { continue }
            let right = next[position]
            guard let merge = rank(symbols[position], symbols[right]), Int(merge.rank) == candidate.rank else {
                continue
            }
            symbols[position] = Int(merge.id)
            alive[right] = false
            let afterRight = next[right]
            next[position] = afterRight
            if afterRight >= 0 { previous[afterRight] = position }
            if previous[position] >= 0, let left = rank(symbols[previous[position]], symbols[position]) {
                queue.push(rank: Int(left.rank), position: previous[position])
            }
            if afterRight >= 0, let after = rank(symbols[position], symbols[afterRight]) {
                queue.push(rank: Int(after.rank), position: position)
            }
        }
        var result: [Int] = []
        result.reserveCapacity(count)
        var position = 0
        while position >= 0 {
            result.append(symbols[position])
            position = next[position]
        }
        symbols = result
    }
}
