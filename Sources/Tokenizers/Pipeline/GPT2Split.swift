/// GPT-2's split pattern, `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`, matched by
/// hand over Unicode scalars in one left-to-right pass.
///
/// At each position the alternatives are tried in the pattern's order; every quantifier is greedy and nothing
/// follows it except in `\s+(?!\S)`, which backtracks one scalar when the run of whitespace is followed by a
/// non-space: so "a   b" splits as "a", "  ", " b" (the last space joins the word), and a run at the end of the text
/// stays whole.
enum GPT2Split {
    /// The pieces of `text`, in order; together they are exactly `text`.
    static func pieces(_ text: [Unicode.Scalar]) -> [ArraySlice<Unicode.Scalar>] {
        var pieces: [ArraySlice<Unicode.Scalar>] = []
        var start = 0
        while start < text.count {
            let end = matchEnd(text, from: start)
            pieces.append(text[start ..< end])
            start = end
        }
        return pieces
    }

    private enum Kind { case letter, number, whitespace, other }

    private static func kind(_ scalar: Unicode.Scalar) -> Kind {
        if UnicodeClasses.isLetter(scalar) { return .letter }
        if UnicodeClasses.isNumber(scalar) { return .number }
        if UnicodeClasses.isWhitespace(scalar) { return .whitespace }
        return .other
    }

    /// The end of the match starting at `start` (always beyond `start`).
    private static func matchEnd(_ text: [Unicode.Scalar], from start: Int) -> Int {
        let count = text.count
        let first = text[start]
        // 's 't 're 've 'm 'll 'd
        if first == "'", let end = contractionEnd(text, from: start) { return end }
        // ` ?X+` for X in letters, numbers, other: the optional space is taken only if a run follows it.
        var runStart = start
        if first == " ", start + 1 < count, kind(text[start + 1]) != .whitespace { runStart = start + 1 }
        let runKind = kind(text[runStart])
        if runKind != .whitespace {
            var end = runStart + 1
            while end < count, kind(text[end]) == runKind { end += 1 }
            return end
        }
        // `\s+(?!\S)`, then `\s+`.
        var end = start + 1
        while end < count, kind(text[end]) == .whitespace { end += 1 }
        if end == count || end - start == 1 { return end }
        return end - 1
    }

    private static func contractionEnd(_ text: [Unicode.Scalar], from start: Int) -> Int? {
        func scalar(_ offset: Int) -> Unicode.Scalar? {
            start + offset < text.count ? text[start + offset] : nil
        }
        switch scalar(1) {
        case "s", "t", "m", "d": return start + 2
        case "r" where scalar(2) == "e", "v" where scalar(2) == "e": return start + 3
        case "l" where scalar(2) == "l": return start + 3
        default: return nil
        }
    }
}
