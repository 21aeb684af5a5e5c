/// The split pattern of Llama 3 and Qwen 2 (tokenizer.json `Split` pre-tokenizers), matched by hand over scalars:
///
///     (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
///
/// Qwen 2 has `\p{N}` (one digit at a time) where Llama 3 has `\p{N}{1,3}`. At each position the alternatives are
/// tried in order, with the backtracking each needs made explicit.
struct LlamaSplit: Sendable {
    /// The longest run of digits one piece holds (3 for Llama 3, 1 for Qwen 2).
    let maximumDigits: Int

    func pieces(_ text: [Unicode.Scalar]) -> [ArraySlice<Unicode.Scalar>] {
        var pieces: [ArraySlice<Unicode.Scalar>] = []
        var start = 0
        while start < text.count {
            let end = matchEnd(text, from: start)
            pieces.append(text[start ..< end])
            start = end
        }
        return pieces
    }

    private static func isNewline(_ scalar: Unicode.Scalar) -> Bool { scalar == "\r" || scalar == "\n" }

    private static func isOther(_ scalar: Unicode.Scalar) -> Bool {
        !UnicodeClasses.isWhitespace(scalar) && !UnicodeClasses.isLetter(scalar) && !UnicodeClasses.isNumber(scalar)
    }

    private func matchEnd(_ text: [Unicode.Scalar], from start: Int) -> Int {
        let count = text.count
        func at(_ index: Int) -> Unicode.Scalar? { index < count ? text[index] : nil }
        func lettersEnd(from index: Int) -> Int {
            var end = index
            while end < count, UnicodeClasses.isLetter(text[end]) { end += 1 }
            return end
        }
        let first = text[start]
        // (?i:'s|'t|'re|'ve|'m|'ll|'d)
        if first == "'", let end = Self.contractionEnd(text, from: start) { return end }
        // [^\r\n\p{L}\p{N}]?\p{L}+
        if UnicodeClasses.isLetter(first) { return lettersEnd(from: start) }
        if !Self.isNewline(first), !UnicodeClasses.isNumber(first), let next = at(start + 1), UnicodeClasses.isLetter(next) {
            return lettersEnd(from: start + 1)
        }
        // \p{N}{1,maximumDigits}
        if UnicodeClasses.isNumber(first) {
            var end = start + 1
            while end < count, end - start < maximumDigits, UnicodeClasses.isNumber(text[end]) { end += 1 }
            return end
        }
        // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
        var runStart = start
        if first == " ", let next = at(start + 1), Self.isOther(next) { runStart = start + 1 }
        if Self.isOther(text[runStart]) {
            var end = runStart + 1
            while end < count, Self.isOther(text[end]) { end += 1 }
            while end < count, Self.isNewline(text[end]) { end += 1 }
            return end
        }
        // Only whitespace is left here.
        var whitespaceEnd = start + 1
        while whitespaceEnd < count, UnicodeClasses.isWhitespace(text[whitespaceEnd]) { whitespaceEnd += 1 }
        // \s*[\r\n]+ — through the last newline of the run.
        if let lastNewline = text[start ..< whitespaceEnd].lastIndex(where: Self.isNewline) { return lastNewline + 1 }
        // \s+(?!\S), then \s+.
        if whitespaceEnd == count || whitespaceEnd - start == 1 { return whitespaceEnd }
        return whitespaceEnd - 1
    }

    /// `'s 't 're 've 'm 'll 'd` in any case (U+017F, long s, folds to s).
    private static func contractionEnd(_ text: [Unicode.Scalar], from start: Int) -> Int? {
        func lower(_ offset: Int) -> Unicode.Scalar? {
            guard start + offset < text.count else { return nil }
            let scalar = text[start + offset]
            if scalar == "\u{17F}" { return "s" }
            if (0x41 ... 0x5A).contains(scalar.value) { return Unicode.Scalar(scalar.value + 32) }
            return scalar
        }
        switch lower(1) {
        case "s", "t", "m", "d": return start + 2
        case "r" where lower(2) == "e", "v" where lower(2) == "e", "l" where lower(2) == "l": return start + 3
        default: return nil
        }
    }
}
