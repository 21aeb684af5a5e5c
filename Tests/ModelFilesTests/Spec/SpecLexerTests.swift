import Testing
@testable import FileFormats
@testable import ModelFiles

@Suite struct SpecLexerTests {
    private func kinds(_ source: String) throws -> [SpecToken.Kind] {
        try SpecLexer.tokenize(source).map(\.kind)
    }

    private func lexError(_ source: String, limits: SpecLimits = .standard) -> SpecError? {
        do {
            _ = try SpecLexer.tokenize(source, file: "t.nn", limits: limits)
            return nil
        } catch {
            return error
        }
    }

    @Test func tokensCarryLineAndColumn() throws {
        let tokens = try SpecLexer.tokenize("a = Linear(4, 8)\n  b = a")
        #expect(tokens.map(\.location.description)
                == ["1:1", "1:3", "1:5", "1:11", "1:12", "1:13", "1:15", "1:16", "1:17", "2:3", "2:5", "2:7", "2:8"])
        #expect(tokens.last?.kind == .end)
    }

    @Test func numbersIntegersFloatsExponents() throws {
        #expect(try kinds("x = 8") == [.identifier("x"), .equals, .integer(8), .end])
        #expect(try kinds("1e-5 0.5 2. 3E2 1_000 1e+3") == [
            .float(1e-5), .float(0.5), .float(2), .float(300), .integer(1000), .float(1000), .end,
        ])
        #expect(try kinds("-3") == [.minus, .integer(3), .end])
    }

    @Test func newlinesInsideParenthesesAreNotStatementEnds() throws {
        #expect(try kinds("a(\n1,\n[2\n])\nb") == [
            .identifier("a"), .leftParenthesis, .integer(1), .comma, .leftBracket, .integer(2), .rightBracket,
            .rightParenthesis, .newline, .identifier("b"), .end,
        ])
    }

    @Test func commentsRunToTheEndOfTheLine() throws {
        #expect(try kinds("# header (\nx = 1 # note )\n") == [
            .newline, .identifier("x"), .equals, .integer(1), .newline, .end,
        ])
    }

    @Test func stringsWithBothQuotesAndEscapes() throws {
        #expect(try kinds(#"a = "cross-entropy" 'it\'s' "tab\tand\\""#) == [
            .identifier("a"), .equals, .string("cross-entropy"), .string("it's"), .string("tab\tand\\"), .end,
        ])
    }

    @Test func crlfLineEndingsWork() throws {
        #expect(try kinds("a = 1\r\nb = 2\r\n") == [
            .identifier("a"), .equals, .integer(1), .newline, .identifier("b"), .equals, .integer(2), .newline, .end,
        ])
    }

    @Test func unexpectedCharacterIsReportedWhereItIs() {
        let error = lexError("x = 1\nmodel = Linear(4 $ 8)")
        #expect(error?.description == "t.nn:2:18: unexpected character '$'")
    }

    @Test func controlCharactersAreEscapedInMessages() {
        #expect(lexError("x = \u{7}")?.description == "t.nn:1:5: unexpected character '\\u{07}'")
    }

    @Test func unclosedStringPointsAtItsQuote() {
        #expect(lexError("loss = \"mse\nx = 1")?.description
                == "t.nn:1:8: string is not closed: expected \" before the end of the line")
        #expect(lexError("loss = 'ab\\")?.description
                == "t.nn:1:8: string is not closed: expected ' before the end of the file")
    }

    @Test func unknownEscapeIsAnError() {
        #expect(lexError(#"a = "x\q""#)?.description == "t.nn:1:7: unknown escape '\\q' in string")
    }

    @Test func malformedNumbers() {
        #expect(lexError("a = Linear(8x)")?.description == "t.nn:1:12: '8x' is not a valid number")
        #expect(lexError("a = 1.2.3")?.description == "t.nn:1:5: '1.2.3' is not a valid number")
        #expect(lexError("a = 99999999999999999999")?.description
                == "t.nn:1:5: integer 99999999999999999999 is too large (the largest is \(Int.max))")
        #expect(lexError("a = 1e999")?.description == "t.nn:1:5: number 1e999 is too large")
    }

    @Test func fileSizeAndLineLengthLimits() {
        let limits = SpecLimits(maxFileBytes: 20, maxLineLength: 10)
        #expect(lexError(String(repeating: "#", count: 21), limits: limits)?.description
                == "t.nn:1:1: the file is 21 bytes, more than the limit of 20")
        #expect(lexError("a = 1\n# 345678901", limits: limits)?.description
                == "t.nn:2:11: line is longer than the limit of 10 characters")
    }
}
