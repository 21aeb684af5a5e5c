/// Builds the models from checked parts, naming the file and field of anything inconsistent.
enum ModelBuilder {
    /// BPE from a vocabulary and merges in rank order. Both tokens of a merge and their concatenation must be in
    /// the vocabulary (as the library requires); a pair listed twice keeps its later rank, as the library does.
    static func bytePair(
        vocabulary: Vocabulary, merges: [(left: String, right: String)], limits: TokenizerLimits,
        unknownToken: String?, fuseUnknown: Bool = false, byteFallback: Bool = false,
        continuingPrefix: String = "", endOfWordSuffix: String = "", ignoreMerges: Bool = false,
        problem: (_ field: String, _ message: String) -> TokenizerError,
        mergeField: (_ index: Int) -> String
    ) throws(TokenizerError) -> BytePairModel {
        guard merges.count <= limits.maximumMerges else {
            throw problem(mergeField(-1), "\(merges.count) merges, more than the limit of \(limits.maximumMerges)")
        }
        var table: [UInt64: (rank: Int32, id: Int32)] = [:]
        table.reserveCapacity(merges.count)
        let prefixBytes = Array(continuingPrefix.utf8)
        for (rank, merge) in merges.enumerated() {
            guard let left = vocabulary.id(for: merge.left) else {
                throw problem(mergeField(rank), "names \(JSONField.quoted(merge.left)), which is not in the vocabulary")
            }
            guard let right = vocabulary.id(for: merge.right) else {
                throw problem(mergeField(rank), "names \(JSONField.quoted(merge.right)), which is not in the vocabulary")
            }
            var rightBytes = Array(merge.right.utf8)
            if !prefixBytes.isEmpty, rightBytes.starts(with: prefixBytes) { rightBytes.removeFirst(prefixBytes.count) }
            let mergedBytes = Array(merge.left.utf8) + rightBytes
            guard let merged = vocabulary.id(forBytes: mergedBytes) else {
                let spelled = String(decoding: mergedBytes, as: UTF8.self)
                throw problem(mergeField(rank), "makes \(JSONField.quoted(spelled)), which is not in the vocabulary")
            }
            table[BytePairModel.pairKey(left, right)] = (Int32(rank), Int32(merged))
        }
        var unknownID: Int?
        if let unknownToken {
            guard let id = vocabulary.id(for: unknownToken) else {
                throw problem("model.unk_token", "\(JSONField.quoted(unknownToken)) is not in the vocabulary")
            }
            unknownID = id
        }
        return BytePairModel(
            vocabulary: vocabulary, merges: table, unknownID: unknownID, fuseUnknown: fuseUnknown,
            byteFallback: byteFallback, continuingPrefix: Array(continuingPrefix.unicodeScalars),
            endOfWordSuffix: Array(endOfWordSuffix.unicodeScalars), ignoreMerges: ignoreMerges)
    }

    static func wordPiece(
        vocabulary: Vocabulary, unknownToken: String, continuingPrefix: String, maximumCharactersPerWord: Int,
        problem: (_ field: String, _ message: String) -> TokenizerError
    ) throws(TokenizerError) -> WordPieceModel {
        guard let unknownID = vocabulary.id(for: unknownToken) else {
            throw problem("model.unk_token", "\(JSONField.quoted(unknownToken)) is not in the vocabulary")
        }
        return WordPieceModel(vocabulary: vocabulary, unknownID: unknownID, continuingPrefix: Array(continuingPrefix.utf8),
                              maximumCharactersPerWord: maximumCharactersPerWord)
    }

    /// Splits a merge written as one string, `"a b"`, at its first space.
    static func splitMerge(_ text: String) -> (left: String, right: String)? {
        let bytes = Array(text.utf8)
        guard let space = bytes.firstIndex(of: UInt8(ascii: " ")) else { return nil }
        return (String(decoding: bytes[..<space], as: UTF8.self), String(decoding: bytes[(space + 1)...], as: UTF8.self))
    }
}
