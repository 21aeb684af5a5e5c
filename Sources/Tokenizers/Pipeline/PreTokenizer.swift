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
    /// Split with a regular expression nnview knows (each match a word, the text between matches too).
    case split(SplitPattern)
    /// Metaspace: spaces become `replacement` (`▁`), which is put in front as `prependScheme` says and, with
    /// `split`, starts each word.
    case metaspace(replacement: Unicode.Scalar, prependScheme: PrependScheme, split: Bool)
    case sequence([PreTokenizer])

    enum SplitPattern: Sendable {
        /// GPT-2's pattern (as ByteLevel uses it).
        case gpt2
        /// Llama 3's (`\p{N}{1,3}`) or Qwen 2's (`\p{N}`) pattern.
        case llama(LlamaSplit)
    }

    enum PrependScheme: Sendable {
        case always, first, never
    }

    /// Splits each of `words` further. `startsText` says the first word begins the text (Metaspace's `first`).
    func split(_ words: [[Unicode.Scalar]], startsText: Bool = true) -> [[Unicode.Scalar]] {
        switch self {
        case .sequence(let steps):
            return steps.reduce(words) { $1.split($0, startsText: startsText) }
        default:
            return words.enumerated().flatMap { index, word in splitOne(word, startsText: startsText && index == 0) }
        }
    }

    private func splitOne(_ word: [Unicode.Scalar], startsText: Bool) -> [[Unicode.Scalar]] {
        switch self {
        case .split(.gpt2): return GPT2Split.pieces(word).map(Array.init)
        case .split(.llama(let pattern)): return pattern.pieces(word).map(Array.init)
        case let .metaspace(replacement, prependScheme, split):
            var text = word.map { $0 == " " ? replacement : $0 }
            let prepend = prependScheme == .always || (prependScheme == .first && startsText)
            if prepend, text.first != replacement { text.insert(replacement, at: 0) }
            guard split else { return [text] }
            // Each replacement starts a new word (MergedWithNext).
            var words: [[Unicode.Scalar]] = []
            var current: [Unicode.Scalar] = []
            for scalar in text {
                if scalar == replacement, !current.isEmpty { words.append(current); current = [] }
                current.append(scalar)
            }
            if !current.isEmpty { words.append(current) }
            return words
        case .bert:
            return Self.runs(word, isSeparator: UnicodeClasses.isRustWhitespace, isolated: UnicodeClasses.isBertPunctuation)
        case let .byteLevel(addPrefixSpace, useRegex):
            var text = word
            if addPrefixSpace, text.first != " " { text.insert(" ", at: 0) }
            let pieces = useRegex ? GPT2Split.pieces(text) : [text[...]]
            return pieces.map { ByteLevelAlphabet.encode($0) }
        case .whitespaceSplit:
            return Self.runs(word, isSeparator: UnicodeClasses.isRustWhitespace, isolated: { _ in false })
        case .whitespace:
            return Self.wordOrSymbolRuns(word)
        case .sequence:
            return split([word], startsText: startsText)
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
            if UnicodeClasses.isWhitespace(scalar) {
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
