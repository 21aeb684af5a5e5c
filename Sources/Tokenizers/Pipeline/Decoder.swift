/// A tokenizer.json `decoder`: tokens back to readable text.
indirect enum Decoder: Sendable {
    /// Tokens joined with spaces (the library's behaviour without a decoder).
    case joinedWithSpaces
    /// GPT-2's byte alphabet back to bytes, then UTF-8 (invalid sequences as U+FFFD).
    case byteLevel
    /// Pieces with the prefix glued to the one before, others after a space; `cleanup` removes the spaces
    /// tokenization put before punctuation and contractions.
    case wordPiece(prefix: String, cleanup: Bool)
    /// `<0xAB>` tokens back to their bytes.
    case byteFallback
    case fuse
    case replace(pattern: String, content: String)
    case strip(content: Unicode.Scalar, start: Int, stop: Int)
    /// `replacement` back to spaces; in the first token it is dropped unless nothing was prepended.
    case metaspace(replacement: Unicode.Scalar, dropsInFirstToken: Bool)
    case sequence([Decoder])

    func decode(_ tokens: [String]) -> String {
        if case .joinedWithSpaces = self { return tokens.joined(separator: " ") }
        return chain(tokens).joined()
    }

    private func chain(_ tokens: [String]) -> [String] {
        switch self {
        case .joinedWithSpaces: return [tokens.joined(separator: " ")]
        case .byteLevel:
            var bytes: [UInt8] = []
            for token in tokens {
                let mapped = token.unicodeScalars.map(ByteLevelAlphabet.byte(for:))
                if mapped.allSatisfy({ $0 != nil }) {
                    bytes.append(contentsOf: mapped.map { $0! })
                } else {
                    bytes.append(contentsOf: token.utf8)
                }
            }
            return [String(decoding: bytes, as: UTF8.self)]
        case let .wordPiece(prefix, cleanup):
            return tokens.enumerated().map { index, token in
                var piece = token
                if index > 0 {
                    if piece.utf8.starts(with: prefix.utf8) {
                        piece = String(decoding: piece.utf8.dropFirst(prefix.utf8.count), as: UTF8.self)
                    } else {
                        piece = " " + piece
                    }
                }
                return cleanup ? Self.cleanedUp(piece) : piece
            }
        case .byteFallback:
            var result: [String] = []
            var pending: [UInt8] = []
            func flush() {
                if !pending.isEmpty { result.append(String(decoding: pending, as: UTF8.self)); pending = [] }
            }
            for token in tokens {
                if let byte = Self.fallbackByte(token) { pending.append(byte) } else { flush(); result.append(token) }
            }
            flush()
            return result
        case .fuse: return [tokens.joined()]
        case let .replace(pattern, content):
            return tokens.map { Self.replacing(pattern, with: content, in: $0) }
        case let .strip(content, start, stop):
            return tokens.map { token in
                var scalars = Array(token.unicodeScalars)[...]
                var removed = 0
                while removed < start, scalars.first == content { scalars = scalars.dropFirst(); removed += 1 }
                removed = 0
                while removed < stop, scalars.last == content { scalars = scalars.dropLast(); removed += 1 }
                return String(scalars: Array(scalars))
            }
        case let .metaspace(replacement, dropsInFirstToken):
            return tokens.enumerated().map { index, token in
                var scalars = String.UnicodeScalarView()
                for scalar in token.unicodeScalars {
                    if scalar != replacement {
                        scalars.append(scalar)
                    } else if !(index == 0 && dropsInFirstToken) {
                        scalars.append(" ")
                    }
                }
                return String(scalars)
            }
        case .sequence(let steps): return steps.reduce(tokens) { $1.chain($0) }
        }
    }

    private static func fallbackByte(_ token: String) -> UInt8? {
        let bytes = Array(token.utf8)
        guard bytes.count == 6, bytes.starts(with: Array("<0x".utf8)), bytes[5] == UInt8(ascii: ">") else { return nil }
        return UInt8(String(decoding: bytes[3 ..< 5], as: UTF8.self), radix: 16)
    }

    /// Literal replacement on scalars (never `String` comparison, which is up to canonical equivalence).
    static func replacing(_ pattern: String, with content: String, in text: String) -> String {
        String(scalars: Normalizer.replace(pattern: Array(pattern.unicodeScalars),
                                             content: Array(content.unicodeScalars))
            .normalize(Array(text.unicodeScalars)))
    }

    /// The library's `cleanup` for WordPiece output.
    private static func cleanedUp(_ text: String) -> String {
        var result = text
        for (from, to) in [(" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"),
                           (" 'm", "'m"), (" do not", " don't"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re")] {
            result = replacing(from, with: to, in: result)
        }
        return result
    }
}
