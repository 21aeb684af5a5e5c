/// A token of tokenizer.json's `added_tokens`: matched in the text before anything else and never split.
struct AddedToken: Sendable {
    let content: [Unicode.Scalar]
    let id: Int
    let special: Bool
    /// Matches only where no word character touches it on either side.
    let singleWord: Bool
    /// Takes the whitespace before it (lstrip) or after it (rstrip) along with it.
    let leftStrip: Bool
    let rightStrip: Bool
    /// Matched in the normalized text (true) or in the raw text (false).
    let normalized: Bool
}

/// A piece of text between added tokens, or an added token found in it.
enum AddedTokenSegment {
    case text(ArraySlice<Unicode.Scalar>)
    case token(Int)
}

/// Finds added tokens in a text leftmost-longest, as the library's Aho-Corasick matcher does, with a trie over
/// scalars: each position costs at most the longest token's length.
struct AddedTokenMatcher: Sendable {
    private struct Node: Sendable {
        var children: [UInt32: Int32] = [:]
        /// Index into `tokens` of the token ending here.
        var token: Int32 = -1
    }

    private var nodes = [Node()]
    private var tokens: [AddedToken] = []

    /// `patterns[i]` is what to look for in the text for `tokens[i]` (its content, normalized if it is matched in
    /// normalized text). Empty patterns are ignored, as the library ignores empty tokens.
    init(_ entries: [(pattern: [Unicode.Scalar], token: AddedToken)]) {
        for (pattern, token) in entries where !pattern.isEmpty {
            var node = 0
            for scalar in pattern {
                if let child = nodes[node].children[scalar.value] {
                    node = Int(child)
                } else {
                    nodes.append(Node())
                    nodes[node].children[scalar.value] = Int32(nodes.count - 1)
                    node = nodes.count - 1
                }
            }
            // The first of two tokens with the same pattern wins.
            if nodes[node].token < 0 {
                tokens.append(token)
                nodes[node].token = Int32(tokens.count - 1)
            }
        }
    }

    /// Splits `text` into runs of text and added tokens.
    func split(_ text: ArraySlice<Unicode.Scalar>) -> [AddedTokenSegment] {
        if tokens.isEmpty { return [.text(text)] }
        var segments: [AddedTokenSegment] = []
        var textStart = text.startIndex
        var position = text.startIndex
        while position < text.endIndex {
            guard let (tokenIndex, matchEnd) = longestMatch(in: text, at: position) else {
                position += 1
                continue
            }
            let token = tokens[tokenIndex]
            var start = position
            var end = matchEnd
            if token.singleWord {
                let wordBefore = start > text.startIndex && UnicodeClasses.isWordCharacter(text[start - 1])
                let wordAfter = end < text.endIndex && UnicodeClasses.isWordCharacter(text[end])
                if wordBefore || wordAfter {
                    position = matchEnd
                    continue
                }
            }
            if token.leftStrip {
                while start > textStart, UnicodeClasses.isRustWhitespace(text[start - 1]) { start -= 1 }
            }
            if token.rightStrip {
                while end < text.endIndex, UnicodeClasses.isRustWhitespace(text[end]) { end += 1 }
            }
            if textStart < start { segments.append(.text(text[textStart ..< start])) }
            segments.append(.token(token.id))
            textStart = end
            position = end
        }
        if textStart < text.endIndex || segments.isEmpty { segments.append(.text(text[textStart...])) }
        return segments
    }

    private func longestMatch(in text: ArraySlice<Unicode.Scalar>, at start: Int) -> (Int, Int)? {
        var node = 0
        var best: (Int, Int)?
        var position = start
        while position < text.endIndex, let child = nodes[node].children[text[position].value] {
            node = Int(child)
            position += 1
            if nodes[node].token >= 0 { best = (Int(nodes[node].token), position) }
        }
        return best
    }
}

extension AddedToken {
    /// The tokens a GGUF vocabulary marks unknown (2), control (3) or user-defined (4) by `tokenizer.ggml.token_type`:
    /// matched whole in the raw text; all but user-defined ones are special.
    static func fromGGUFTypes(_ tokens: [String], types: [Int]?) -> [AddedToken] {
        (types ?? []).enumerated().filter { [2, 3, 4].contains($0.element) }.map { id, type in
            AddedToken(content: Array(tokens[id].unicodeScalars), id: id, special: type != 4, singleWord: false,
                       leftStrip: false, rightStrip: false, normalized: false)
        }
    }
}
