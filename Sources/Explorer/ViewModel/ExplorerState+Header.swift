import NNCore
import NNModules

extension ExplorerState {
    /// The header line's contents.
    public var header: HeaderViewModel {
        let (total, trainable, lazy) = parameterTotals()
        var header = HeaderViewModel(modelName: model.name, source: model.source, weightsSource: model.weightsSource,
                               modeLabel: isLive ? "live" : "browse",
                               totalParameterCount: total, trainableParameterCount: isLive ? trainable : total,
                               uninitialisedParameterCount: lazy,
                               lossName: isLive ? (session?.lossName ?? run.loss.rawValue) : nil, lastLoss: run.lastLoss,
                               lossHistory: run.lossHistory, inputShape: session?.inputShape ?? run.input?.shape,
                               learningRate: run.learningRate, backwardPassesSinceZero: run.backwardPassesSinceZero,
                               hasUnsavedEdits: hasUnsavedChanges)
        header.lastLossIsStale = run.lastLossIsStale
        header.inputTokens = session?.inputSummary
        header.signature = session?.signature
        return header
    }
}

extension ExplorerState {
    /// Elements of all distinct tensors, of the trainable ones, and the number of lazy ones; cached until the
    /// model changes.
    func parameterTotals() -> ParameterTotals {
        caches.parameterTotals {
            var total = 0, trainable = 0, lazy = 0
            for entry in entries {
                if entry.isUninitialised { lazy += 1; continue }
                let n = entry.elementCount
                total = total.addingReportingOverflow(n).overflow ? Int.max : total + n
                if entry.kind == .parameter {
                    trainable = trainable.addingReportingOverflow(n).overflow ? Int.max : trainable + n
                }
            }
            return (total, trainable, lazy)
        }
    }
}
