/// BERT's WordPiece: greedy longest match first, pieces after the first spelled with the continuing prefix (`##`);
/// a word with no split, or longer than `maximumCharactersPerWord` scalars, becomes the unknown token.
struct WordPieceModel: TokenizerModel {
    let vocabulary: Vocabulary
    let unknownID: Int
    let continuingPrefix: [UInt8]
    let maximumCharactersPerWord: Int
    /// The most scalars any token has: no longer piece can match, so each position tries at most this many ends
    /// (the result is the same as trying them all, and a long word costs O(length × this)).
    let longestTokenScalars: Int

    init(vocabulary: Vocabulary, unknownID: Int, continuingPrefix: [UInt8], maximumCharactersPerWord: Int) {
        self.vocabulary = vocabulary
        self.unknownID = unknownID
        self.continuingPrefix = continuingPrefix
        self.maximumCharactersPerWord = maximumCharactersPerWord
        longestTokenScalars = vocabulary.tokensByID.reduce(0) { max($0, $1?.unicodeScalars.count ?? 0) }
    }

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
            var end = min(word.count, start + longestTokenScalars)
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
