import NNCore
import NNModules
import TerminalUI
import ModelFiles

extension ExplorerState {
    /// `f` or `b` on a live session: the session runs, its predictions go to the root's pane and its loss to the
    /// header.
    func runSession(_ session: any LiveSession, backward: Bool) throws -> Reaction {
        let outcome = try backward ? session.backward() : session.forward()
        sessionLines = outcome.lines
        if let value = outcome.loss {
            backwardPassesSinceZero += 1
            lastLoss = value
            lastLossIsStale = false
            lossHistory.append(value)
        } else if lastLoss != nil {
            // A forward pass computes no loss here; the shown loss stays the last backward's.
            lastLossIsStale = true
        }
        var text = outcome.status
        if backward && backwardPassesSinceZero > 1 { text += "; gradients accumulate (z zeroes)" }
        if let problem = firstNonFinite(outputs: true, loss: outcome.loss, gradients: backward) {
            setError(text + "; " + problem)
        } else {
            setStatus(text)
        }
        if backward, showing == .value, selectedEntry?.kind == .parameter { showing = .gradient }
        return [.redraw, .changedModel]
    }

    /// `i`: the input prompt, pre-filled with the current input (typing replaces it, arrows edit it).
    func beginInput() throws -> Reaction {
        guard let session else {
            throw ExplorerError("i: only a transformer opened live takes typed input (\(isLive ? "r draws a new random batch" : Self.browseMessage))")
        }
        pendingPrompt = .input
        lineEditor = LineEditor(session.inputText, selected: true)
        mode = .prompt(label: session.inputPrompt, text: session.inputText)
        return .redraw
    }

    /// The typed input, given to the session.
    func setSessionInput(_ text: String) throws -> Reaction {
        guard let session else { throw ExplorerError("i: no live session") }
        let status = try session.setInput(text)
        sessionLines = []
        lastLossIsStale = lastLoss != nil
        setStatus(status)
        return [.redraw, .changedModel]
    }

    /// A session's state dict as transformers' `save_pretrained` writes it: each tensor once, under its first
    /// name (GPT-2's tied embedding as `transformer.wte.weight`, `lm_head.weight` left out), so the file loads
    /// back with `from_pretrained`.
    func sessionStateDict(_ session: any LiveSession) -> StateDict {
        var seen = Set<ObjectIdentifier>()
        var kept: [StateDict.Entry] = []
        for entry in session.module.stateDict() {
            if let tensor = entry.tensor, !seen.insert(ObjectIdentifier(tensor)).inserted { continue }
            kept.append(entry)
        }
        return StateDict(entries: kept)
    }
}
