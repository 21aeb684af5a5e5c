import NNCore
import NNModules

extension ExplorerState {
    /// Switches activation capture on for a live model, so module outputs and attention maps can be shown, keeping
    /// at most `budgetBytes` per forward pass (`ExplorerSettings.activationBudgetBytes`).
    static func enableCapture(on module: Module, budgetBytes: Int) {
        module.activationCapture = try? ActivationCapture(budgetBytes: budgetBytes)
    }

    /// The capture of the live model, if it has one.
    var capture: ActivationCapture? { liveModule?.activationCapture }

    /// The token texts of text `sample` of a live transformer session's batch (padding dropped); nil otherwise.
    func sampleTokens(_ sample: Int) -> [String]? {
        guard let session = session as? LiveTransformerSession, session.batch.tokens.indices.contains(sample) else { return nil }
        let tokens = session.batch.tokens[sample]
        let mask = session.batch.attentionMask.indices.contains(sample) ? session.batch.attentionMask[sample] : []
        return zip(tokens, mask + Array(repeating: 1, count: max(0, tokens.count - mask.count)))
            .filter { $0.1 != 0 }.map { LiveTransformerSession.visible($0.0) }
    }

    /// The attention pattern captured at `path` in the last forward pass, at the chosen head; nil when the
    /// module kept no attention map.
    func attentionDetail(path: String) -> AttentionViewModel? {
        guard let record = capture?.attentionMaps(at: path).last else { return nil }
        let probabilities = record.probabilities.isContiguous ? record.probabilities : record.probabilities.contiguous()
        let shape = probabilities.shape
        guard shape.count == 4, shape.allSatisfy({ $0 > 0 }) else { return nil }
        let heads = shape[1], queries = shape[2], keys = shape[3]
        let sample = min(max(detailView.attentionSample, 0), shape[0] - 1)
        let tokens = sampleTokens(sample)
        // Padding keys and queries of the text are left out (the tokenizer pads on the right).
        let realQueries = min(queries, tokens?.count ?? queries), realKeys = min(keys, tokens?.count ?? keys)
        let flat = probabilities.toArray()
        let head = detailView.attentionShowsMean ? nil : min(max(detailView.attentionHead, 0), heads - 1)
        var values = [[Float]](repeating: [Float](repeating: 0, count: realKeys), count: realQueries)
        let shownHeads = head.map { [$0] } ?? Array(0..<heads)
        for h in shownHeads {
            for q in 0..<realQueries {
                let base = ((sample * heads + h) * queries + q) * keys
                for k in 0..<realKeys { values[q][k] += flat[base + k] / Float(shownHeads.count) }
            }
        }
        func labels(_ count: Int) -> [String] {
            (0..<count).map { i in tokens.map { $0[i] } ?? "\(i)" }
        }
        var cursor = GridPoint(row: 0, col: 0)
        if let node = treeCursor.nodes.firstIndex(where: { $0.path == path && $0.entry == nil }),
           let view = detailView.views[Self.attentionEntryID(node: node)] {
            cursor = GridPoint(row: min(view.cursor.row, realQueries - 1), col: min(view.cursor.col, realKeys - 1))
        }
        return AttentionViewModel(path: path, head: head, headCount: heads, queryTokens: labels(realQueries),
                                  keyTokens: labels(realKeys), values: values, textCount: shape[0], sample: sample,
                                  cursor: cursor)
    }

    /// The id of the read-only entry holding module node `node`'s shown attention pattern: negative and apart
    /// from the output entries' ids, so the pattern keeps its own cursor.
    static func attentionEntryID(node: Int) -> Int { Int.min / 2 + node }

    /// The selected attention module's shown pattern [queries, keys] as a read-only entry, so the heatmap cursor
    /// keys (arrows, Home, End, pages, `:`) move over queries and keys as over a matrix.
    var selectedAttentionEntry: TensorEntry? {
        guard let node = treeCursor.selectedNode, treeCursor.nodes[node].entry == nil, let shown = attentionDetail(path: treeCursor.nodes[node].path),
              let pattern = try? Tensor(shown.values.flatMap { $0 }, shape: [shown.queryTokens.count, shown.keyTokens.count])
        else { return nil }
        let entry = TensorEntry(id: Self.attentionEntryID(node: node), kind: .module, buffer: pattern)
        entry.names = ["attention of " + treeCursor.nodes[node].path]
        return entry
    }

    /// Whether the selected row is a module with a captured attention map.
    var selectedAttention: AttentionViewModel? {
        guard let node = treeCursor.selectedNode, treeCursor.nodes[node].entry == nil else { return nil }
        return attentionDetail(path: treeCursor.nodes[node].path)
    }

    /// `<` `>` on an attention module: the previous or next head; after the last head comes the mean over heads,
    /// then head 1 again (so one key reaches the mean without taking another key from a full help screen).
    func changeHead(by delta: Int) -> Reaction {
        guard let shown = selectedAttention else { return [] }
        let heads = shown.headCount, positions = shown.headCount + 1
        let next = (((shown.head ?? heads) + delta) % positions + positions) % positions
        detailView.showAttention(position: next, of: heads)
        setStatus("attention: " + (detailView.attentionShowsMean ? "mean of \(heads) heads" : "head \(next + 1) of \(heads)"))
        return .redraw
    }

    /// `m` on an attention module: the mean over heads, or back to the head shown before.
    func toggleAttentionMean() -> Reaction {
        guard let shown = selectedAttention else {
            setStatus("m: select an attention module after f to see the mean over its heads")
            return .redraw
        }
        detailView.toggleAttentionMean()
        setStatus("attention: " + (detailView.attentionShowsMean ? "mean of \(shown.headCount) heads"
                                   : "head \(min(detailView.attentionHead, shown.headCount - 1) + 1) of \(shown.headCount)"))
        return .redraw
    }

    /// `{` `}` on an attention module: the previous or next text of the batch (the token labels follow it).
    func changeAttentionSample(by delta: Int) -> Reaction {
        guard let shown = selectedAttention else {
            setStatus("{ }: select an attention module after f to browse the texts of the batch")
            return .redraw
        }
        let count = max(1, shown.textCount)
        detailView.attentionSample = ((shown.sample + delta) % count + count) % count
        setStatus("attention: text \(detailView.attentionSample + 1) of \(count)")
        return .redraw
    }
}
