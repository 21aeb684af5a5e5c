/// BERT's WordPiece: greedy longest match first, pieces after the first spelled with the continuing prefix (`##`);
/// a word with no split, or longer than `maximumCharactersPerWord` scalars, becomes the unknown token.
struct WordPieceModel: TokenizerModel {
    let vocabulary: Vocabulary
    let unknownID: Int
    let continuingPrefix: [UInt8]
    let maximumCharactersPerWord: Int

    func tokenize(_ word: [Unicode.Scalar], into ids: inout [Int]) {
        if word.isEmpty { return }
        if word.count > maximumCharactersPerWord {
            ids.append(unknownID)
            return
        }
        // offsets[i] is where scalar i starts in the word's UTF-8 bytes.
        var bytes: [UInt8] = []
        var offsets: [Int] = []
        for scalar in word {
            offsets.append(bytes.count)
            bytes.append(contentsOf: String(scalar).utf8)
        }
        offsets.append(bytes.count)
        var pieces: [Int] = []
        var start = 0
        while start < word.count {
            var end = word.count
            var found: Int?
            while end > start {
                let piece = Array(bytes[offsets[start] ..< offsets[end]])
                if let id = vocabulary.id(forBytes: start > 0 ? continuingPrefix + piece : piece) {
                    found = id
                    break
                }
                end -= 1
            }
            guard let id = found else {
                ids.append(unknownID)
                return
            }
            pieces.append(id)
            start = end
        }
        ids.append(contentsOf: pieces)
    }
}
