import Testing
import TerminalUI

@Suite struct KeySpecTests {
    @Test func parsesTheDocumentedExample() throws {
        let events = try KeySpec.parse("j j l b C-r Enter Tab PgDn")
        #expect(events == [.character("j"), .character("j"), .character("l"), .character("b"), .ctrl("r"),
                           .enter, .tab, .pageDown])
    }

    @Test func namesAreCaseInsensitiveWithAliases() throws {
        #expect(try KeySpec.parse("up DOWN Left right pgup PageDown home END esc Backspace del S-Tab space")
            == [.up, .down, .left, .right, .pageUp, .pageDown, .home, .end, .escape, .backspace, .delete, .backTab,
                .character(" ")])
        #expect(try KeySpec.parse("Ctrl-C ^x + - ?") == [.ctrl("c"), .ctrl("x"), .character("+"), .character("-"),
                                                          .character("?")])
    }

    @Test func textMouseAndResizeTokens() throws {
        #expect(try KeySpec.parse("e text:0.5 Enter") == [.character("e"), .character("0"), .character("."),
                                                         .character("5"), .enter])
        #expect(try KeySpec.parse("Click:3,4 WheelUp:1,2 wheeldown:0,0 Resize:40x12")
            == [.mouse(.click(x: 3, y: 4)), .mouse(.wheelUp(x: 1, y: 2)), .mouse(.wheelDown(x: 0, y: 0)),
                .resize(width: 40, height: 12)])
        #expect(try KeySpec.parse("  ") == [])
    }

    @Test func unknownNamesAreClearErrors() {
        #expect(throws: KeySpec.ParseError.self) { try KeySpec.parse("j Fnord k") }
        do {
            _ = try KeySpec.parse("j Fnord k")
        } catch let error as KeySpec.ParseError {
            #expect(error.description.contains("unknown key 'Fnord'"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
        #expect(throws: KeySpec.ParseError.self) { try KeySpec.parse("C-rr") }
        #expect(throws: KeySpec.ParseError.self) { try KeySpec.parse("Resize:axb") }
        #expect(throws: KeySpec.ParseError.self) { try KeySpec.parse("Click:-1,2") }
    }

    @Test func wordsAfterTextThatAreNoKeysContinueTheText() throws {
        let typed: (String) -> [InputEvent] = { $0.map { .character($0) } }
        #expect(try KeySpec.parse("i text:the quick fox Enter f")
            == [.character("i")] + typed("the quick fox") + [.enter, .character("f")])
        // Single characters and key names after a text stay keys, and an unknown word elsewhere is still an error.
        #expect(try KeySpec.parse("text:ab c End") == typed("ab") + [.character("c"), .end])
        #expect(throws: KeySpec.ParseError.self) { try KeySpec.parse("text:ab Enter quick") }
        #expect(throws: KeySpec.ParseError.self) { try KeySpec.parse("text:ab Click:x,y") }
    }
}
