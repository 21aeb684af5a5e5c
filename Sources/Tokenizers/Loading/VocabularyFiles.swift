/// The older tokenizer files: BERT's vocab.txt and GPT-2's vocab.json + merges.txt, with those models' defaults.
struct VocabularyFiles {
    let limits: TokenizerLimits

    /// vocab.txt: one token per line, the id being the line's index. BERT's defaults: BertNormalizer (lowercasing
    /// unless `lowercase` is false), BertPreTokenizer, WordPiece with `##`, `[CLS] … [SEP]`.
    func wordPiece(vocabText bytes: [UInt8], file: String, lowercase: Bool) throws(TokenizerError) -> PipelineParts {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        guard lines.count <= limits.maximumVocabulary else {
            throw TokenizerError(file: file, field: "", problem: "\(lines.count) lines, more than the limit of \(limits.maximumVocabulary) tokens")
        }
        var entries: [(token: String, id: Int)] = []
        var seen: [[UInt8]: Int] = [:]
        for (index, rawLine) in lines.enumerated() {
            var line = Array(rawLine)
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            guard let token = String(validating: line, as: UTF8.self) else {
                throw TokenizerError(file: file, field: "line \(index + 1)", problem: "is not valid UTF-8")
            }
            // A token listed again takes the later line's id, as the library's vocab.txt reader does.
            if let earlier = seen[line] { entries[earlier].id = index; continue }
            seen[line] = entries.count
            entries.append((token, index))
        }
        let vocabulary = try Vocabulary(entries: entries, idLimit: lines.count) { index, message in
            TokenizerError(file: file, field: "line \(entries[index].id + 1)", problem: message)
        }
        let model = try ModelBuilder.wordPiece(
            vocabulary: vocabulary, unknownToken: "[UNK]", continuingPrefix: "##", maximumCharactersPerWord: 100,
            problem: { _, message in TokenizerError(file: file, field: "[UNK]", problem: message) })
        var parts = PipelineParts(
            normalizer: .bert(cleanText: true, handleChineseCharacters: true, stripAccents: lowercase, lowercase: lowercase),
            model: model)
        parts.preTokenizer = .bert
        parts.decoder = .wordPiece(prefix: "##", cleanup: true)
        let specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
        parts.addedTokens = specials.compactMap { name in
            vocabulary.id(for: name).map { Self.special(name, id: $0) }
        }
        if let cls = vocabulary.id(for: "[CLS]"), let sep = vocabulary.id(for: "[SEP]") {
            parts.postProcessor = PostProcessor.bert(cls: cls, sep: sep)
        }
        parts.paddingID = vocabulary.id(for: "[PAD]")
        return parts
    }

    /// vocab.json + merges.txt with GPT-2's defaults: byte-level pre-tokenizer without a prefix space, no special
    /// tokens added around the text, `<|endoftext|>` an added special token when the vocabulary has it.
    func bytePair(vocabJSON: [UInt8], vocabFile: String, mergesText: [UInt8], mergesFile: String) throws(TokenizerError) -> PipelineParts {
        let root = try limits.parseJSON(vocabJSON, file: vocabFile)
        let members = try root.members()
        guard members.count <= limits.maximumVocabulary else {
            throw root.error("\(members.count) tokens, more than the limit of \(limits.maximumVocabulary)")
        }
        var entries: [(token: String, id: Int)] = []
        for member in members { entries.append((member.key, try member.field.integer(in: 0 ... Int(Int32.max)))) }
        let vocabulary = try Vocabulary(entries: entries, idLimit: members.count) { index, message in
            members[index].field.error(message)
        }
        let merges = try mergeLines(mergesText, file: mergesFile)
        let model = try ModelBuilder.bytePair(
            vocabulary: vocabulary, merges: merges.map { ($0.left, $0.right) }, limits: limits, unknownToken: nil,
            problem: { field, message in TokenizerError(file: mergesFile, field: field, problem: message) },
            mergeField: { index in index < 0 ? "" : "line \(merges[index].line)" })
        var parts = PipelineParts(normalizer: nil, model: model)
        parts.preTokenizer = .byteLevel(addPrefixSpace: false, useRegex: true)
        parts.decoder = .byteLevel
        if let id = vocabulary.id(for: "<|endoftext|>") {
            parts.addedTokens = [Self.special("<|endoftext|>", id: id)]
        }
        return parts
    }

    /// merges.txt: an optional `#version` line, then one `a b` merge per line.
    private func mergeLines(_ bytes: [UInt8], file: String) throws(TokenizerError) -> [(left: String, right: String, line: Int)] {
        var merges: [(left: String, right: String, line: Int)] = []
        var lineNumber = 0
        for rawLine in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            var line = Array(rawLine)
            if line.last == UInt8(ascii: "\r") { line.removeLast() }
            if line.isEmpty || (lineNumber == 1 && line.starts(with: Array("#version".utf8))) { continue }
            guard merges.count < limits.maximumMerges else {
                throw TokenizerError(file: file, field: "", problem: "more than the limit of \(limits.maximumMerges) merges")
            }
            guard let text = String(validating: line, as: UTF8.self) else {
                throw TokenizerError(file: file, field: "line \(lineNumber)", problem: "is not valid UTF-8")
            }
            guard let merge = ModelBuilder.splitMerge(text) else {
                throw TokenizerError(file: file, field: "line \(lineNumber)", problem: "\(JSONField.quoted(text)) is not two tokens separated by a space")
            }
            merges.append((merge.left, merge.right, lineNumber))
        }
        return merges
    }

    static func special(_ content: String, id: Int) -> AddedToken {
        AddedToken(content: Array(content.unicodeScalars), id: id, special: true, singleWord: false,
                   leftStrip: false, rightStrip: false, normalized: false)
    }
}
