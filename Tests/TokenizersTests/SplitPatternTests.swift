import Testing
@testable import Tokenizers

/// The hand-written split patterns on the cases their regular expressions make subtle (the library's results are
/// checked on many more texts in ReferenceExpectationTests).
@Suite struct SplitPatternTests {
    private func gpt2(_ text: String) -> [String] {
        GPT2Split.pieces(Array(text.unicodeScalars)).map { String(scalars: Array($0)) }
    }

    private func llama3(_ text: String) -> [String] {
        LlamaSplit(maximumDigits: 3).pieces(Array(text.unicodeScalars)).map { String(scalars: Array($0)) }
    }

    /// `\s+(?!\S)` leaves the last space of a run to the word after it; a run at the end stays whole.
    @Test func gpt2WhitespaceRuns() {
        #expect(gpt2("a   b") == ["a", "  ", " b"])
        #expect(gpt2("a \t\nb") == ["a", " \t", "\n", "b"])
        #expect(gpt2("end   ") == ["end", "   "])
        #expect(gpt2(" ") == [" "])
        #expect(gpt2("\t\tx") == ["\t", "\t", "x"])
    }

    @Test func gpt2ContractionsAndRuns() {
        #expect(gpt2("don't I'll") == ["don", "'t", " I", "'ll"])
        #expect(gpt2("DON'T") == ["DON", "'", "T"])
        #expect(gpt2("''s") == ["''", "s"])
        #expect(gpt2("hi!!! 42x") == ["hi", "!!!", " 42", "x"])
    }

    @Test func llama3Patterns() {
        #expect(llama3("I'LL 12345") == ["I", "'LL", " ", "123", "45"])
        #expect(llama3(" \r\n \n  a") == [" \r\n \n", " ", " a"])
        #expect(llama3("...\n\nb") == ["...\n\n", "b"])
        #expect(llama3("!hello\tworld") == ["!hello", "\tworld"])
    }

    /// Together the pieces are the text, scalar for scalar, whatever it holds.
    @Test func piecesCoverTheText() {
        let text = "  Ünïcödé\u{301} 中文 😀👍🏽 \r\n\t x'S 1234 ..\u{0} "
        #expect(GPT2Split.pieces(Array(text.unicodeScalars)).flatMap { $0 } == Array(text.unicodeScalars))
        #expect(LlamaSplit(maximumDigits: 1).pieces(Array(text.unicodeScalars)).flatMap { $0 } == Array(text.unicodeScalars))
    }

    /// The measured tables are sorted, disjoint (first, last) pairs, so the binary search is valid.
    @Test func unicodeTablesAreSortedAndDisjoint() {
        for table in [UnicodeTables.bertRemoved, UnicodeTables.bertWhitespace, UnicodeTables.bertPunctuation,
                      UnicodeTables.bertNonspacingMark, UnicodeTables.letter, UnicodeTables.number,
                      UnicodeTables.whitespace] {
            #expect(table.count % 2 == 0)
            for index in stride(from: 0, to: table.count, by: 2) {
                #expect(table[index] <= table[index + 1])
                if index > 0 { #expect(table[index - 1] + 1 < table[index]) }
            }
        }
        #expect(UnicodeClasses.isLetter("\u{E9}") && !UnicodeClasses.isLetter("\u{301}"))
        #expect(UnicodeClasses.isBertRemoved("\u{AD}") && !UnicodeClasses.isBertRemoved("\u{378}"))
        #expect(UnicodeClasses.isRustWhitespace("\u{3000}") && UnicodeClasses.isWhitespace("\u{85}"))
        #expect(UnicodeClasses.isNumber("\u{663}") && UnicodeClasses.isBertPunctuation("\u{AB}"))
    }
}
