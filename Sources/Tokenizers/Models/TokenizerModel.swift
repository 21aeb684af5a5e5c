/// The model stage: one pre-tokenized word → token ids.
protocol TokenizerModel: Sendable {
    var vocabulary: Vocabulary { get }
    func tokenize(_ word: [Unicode.Scalar], into ids: inout [Int])
}
