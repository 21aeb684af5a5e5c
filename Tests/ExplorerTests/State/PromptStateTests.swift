import Testing
import TerminalUI
@testable import Explorer

/// PromptState and HelpScroll alone.
struct PromptStateTests {
    @Test func aPromptKeepsItsPurposeAndItsTextInTheMode() {
        var prompts = PromptState()
        prompts.open(.fill, label: "fill with: ", text: "", selected: false)
        #expect(prompts.mode == .prompt(label: "fill with: ", text: ""))
        let typed = [prompts.edit(.character("4")), prompts.edit(.character("2"))]
        #expect(typed == [true, true])
        #expect(prompts.mode == .prompt(label: "fill with: ", text: "42"))
        let tab = prompts.edit(.tab)
        #expect(!tab, "not an editing key")
        let purpose = prompts.closePrompt()
        #expect(purpose == .fill)
        #expect(prompts.mode == .normal && prompts.pendingPrompt == nil)
    }

    @Test func aSelectedTextIsReplacedByTyping() {
        var prompts = PromptState()
        prompts.open(.saveAs, label: "save as: ", text: "a.safetensors", selected: true)
        let typed = prompts.edit(.character("b"))
        #expect(typed && prompts.lineEditor.string == "b")
    }

    @Test func theSearchLineFollowsTyping() {
        var prompts = PromptState()
        prompts.openSearch()
        let typed = prompts.edit(.character("x"))
        #expect(typed && prompts.mode == .search(text: "x"))
        let purpose = prompts.closePrompt()
        #expect(purpose == nil)
        #expect(prompts.mode == .normal)
    }

    @Test func editingOutsideAPromptDoesNotChangeTheMode() {
        var prompts = PromptState()
        let typed = prompts.edit(.character("x"))
        #expect(!typed)
        #expect(prompts.mode == .normal)
    }

    @Test func aQuestionIsAnsweredOrCancelled() {
        var prompts = PromptState()
        prompts.ask(.quitUnsaved, question: "quit? (y/n)")
        #expect(prompts.mode == .confirm(question: "quit? (y/n)"))
        if case .quitUnsaved = prompts.closeQuestion() {} else { Issue.record("the question's purpose is lost") }
        #expect(prompts.mode == .normal && prompts.pendingConfirm == nil)
        prompts.ask(.overwrite(path: "a"), question: "overwrite?")
        prompts.cancel()
        #expect(prompts.mode == .normal && prompts.pendingConfirm == nil && prompts.pendingPrompt == nil)
    }

    @Test func helpOpensAndCloses() {
        var prompts = PromptState()
        prompts.toggleHelp()
        #expect(prompts.mode == .help)
        prompts.toggleHelp()
        #expect(prompts.mode == .normal)
    }

    @Test func helpScrollStaysWithinTheReportedLimit() {
        var scroll = HelpScroll()
        scroll.scroll(by: 3)
        #expect(scroll.offset == 0, "nothing to scroll before the renderer reports")
        scroll.setViewport(scrollLimit: 5, pageLines: 0)
        #expect(scroll.pageLines == 1)
        scroll.scroll(by: 4)
        scroll.scroll(by: 4)
        #expect(scroll.offset == 5)
        scroll.setViewport(scrollLimit: 2, pageLines: 10)
        #expect(scroll.offset == 2)
        scroll.scroll(by: -9)
        #expect(scroll.offset == 0)
        scroll.scroll(by: 1)
        scroll.reset()
        #expect(scroll.offset == 0)
    }
}
