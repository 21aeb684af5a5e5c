/// A tokenizer.json `pre_tokenizer`: splits normalized text into words the model encodes one by one.
indirect enum PreTokenizer: Sendable {
    /// BertPreTokenizer: split on whitespace (dropped), each punctuation character a word of its own.
    case bert
    /// ByteLevel: optionally a space in front, GPT-2's split pattern, then every word's UTF-8 bytes written in
    /// GPT-2's byte alphabet.
    case byteLevel(addPrefixSpace: Bool, useRegex: Bool)
    /// WhitespaceSplit: split on whitespace only.
    case whitespaceSplit
    /// Whitespace: `\w+|[^\w\s]+`.
    case whitespace
    case sequence([PreTokenizer])

    /// Splits each of `words` further.
    func split(_ words: [[Unicode.Scalar]]) -> [[Unicode.Scalar]] {
        switch self {
        case .sequence(let steps):
            return steps.reduce(words) { $1.split($0) }
        default:
            return words.flatMap(splitOne)
        }
    }

    private func splitOne(_ word: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        switch self {
        case .bert:
            return Self.runs(word, isSeparator: UnicodeClasses.isBertWhitespace, isolated: UnicodeClasses.isBertPunctuation)
        case let .byteLevel(addPrefixSpace, useRegex):
            var text = word
            if addPrefixSpace, text.first != " " { text.insert(" ", at: 0) }
            let pieces = useRegex ? GPT2Split.pieces(text) : [text[...]]
            return pieces.map { ByteLevelAlphabet.encode($0) }
        case .whitespaceSplit:
            return Self.runs(word, isSeparator: { $0.properties.isWhitespace }, isolated: { _ in false })
        case .whitespace:
            return Self.wordOrSymbolRuns(word)
        case .sequence:
            return split([word])
        }
    }

    /// Maximal runs of scalars that are neither separators nor isolated; each isolated scalar alone; separators
    /// dropped.
    private static func runs(_ text: [Unicode.Scalar], isSeparator: (Unicode.Scalar) -> Bool,
                             isolated: (Unicode.Scalar) -> Bool) -> [[Unicode.Scalar]] {
        var words: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        for scalar in text {
            if isSeparator(scalar) {
                if !current.isEmpty { words.append(current); current = [] }
            } else if isolated(scalar) {
                if !current.isEmpty { words.append(current); current = [] }
                words.append([scalar])
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// `\w+|[^\w\s]+`: runs of word characters and runs of other non-space characters.
    private static func wordOrSymbolRuns(_ text: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        var words: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        var currentIsWord = false
        for scalar in text {
            if scalar.properties.isWhitespace {
                if !current.isEmpty { words.append(current); current = [] }
                continue
            }
            let isWord = UnicodeClasses.isWordCharacter(scalar)
            if !current.isEmpty, isWord != currentIsWord { words.append(current); current = [] }
            currentIsWord = isWord
            current.append(scalar)
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}
