import NNCore
import NNModules
import TerminalUI
import ModelFiles

extension ExplorerState {
    /// `f` or `b` on a live session: the session runs, its predictions go to the root's pane and its loss to the
    /// header.
    func runSession(_ session: any LiveSession, backward: Bool) throws -> Reaction {
        let outcome = try backward ? session.backward() : session.forward()
        run.sessionLines = outcome.lines
        if let value = outcome.loss {
            run.backwardAccumulated(loss: value)
        } else {
            // A forward pass computes no loss here; the shown loss stays the last backward's.
            run.modelChanged()
        }
        var text = outcome.status
        if backward && run.backwardPassesSinceZero > 1 { text += "; gradients accumulate (z zeroes)" }
        if let problem = firstNonFinite(outputs: true, loss: outcome.loss, gradients: backward) {
            setError(text + "; " + problem)
        } else {
            setStatus(text)
        }
        if backward, detailView.showing == .value, selectedEntry?.kind == .parameter { detailView.showing = .gradient }
        return [.redraw, .changedModel]
    }

    /// `i`: the input prompt, pre-filled with the current input (typing replaces it, arrows edit it).
    func beginInput() throws -> Reaction {
        guard let session else {
            // A spec's input is a random batch: i draws a new one, as r does.
            if spec != nil { return try drawNewInput() }
            throw ExplorerError("i: only a model opened live takes typed input (\(Self.browseMessage))")
        }
        prompts.open(.input, label: session.inputPrompt, text: session.inputText, selected: true)
        return .redraw
    }

    /// `r` on a session that draws its own random input (an ONNX graph's).
    func drawSessionRandomInput(_ session: any LiveSession) throws -> Reaction {
        let status = try session.drawRandomInput()
        run.sessionLines = []
        run.modelChanged()
        setStatus(status)
        return [.redraw, .changedModel]
    }

    /// The typed input, given to the session.
    func setSessionInput(_ text: String) throws -> Reaction {
        guard let session else { throw ExplorerError("i: no live session") }
        let status = try session.setInput(text)
        run.sessionLines = []
        run.modelChanged()
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
