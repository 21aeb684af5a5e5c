import NNCore

extension ExplorerState {
    /// The gradient flow over every module with parameters of its own, in tree order; nil while no parameter has a
    /// gradient (before `b`, after `z`). Each distinct tensor counts once, at its first module. After an SGD
    /// step (`s` or a training run) each layer also has the update-to-weight ratio of that update.
    var gradientFlow: GradientFlowViewModel? {
        var seen = Set<Int>()
        var layers: [GradientFlowViewModel.Layer] = []
        var anyGradient = false
        for index in treeCursor.preOrder where treeCursor.nodes[index].entry == nil && treeCursor.nodes[index].module != nil {
            var sum: Float = 0
            var hasParameter = false
            var own: [Int] = []
            for child in treeCursor.nodes[index].children {
                guard let entryIndex = treeCursor.nodes[child].entry, entries[entryIndex].kind == .parameter,
                      seen.insert(entryIndex).inserted else { continue }
                hasParameter = true
                own.append(entries[entryIndex].id)
                if let norm = cachedGradNorm(entries[entryIndex]) {
                    anyGradient = true
                    sum += norm * norm
                }
            }
            if hasParameter {
                layers.append(.init(path: treeCursor.nodes[index].path, norm: sum.squareRoot(), updateRatio: lastUpdate?.ratio(of: own)))
            }
        }
        return anyGradient ? GradientFlowViewModel(layers: layers, updateLearningRate: lastUpdate?.learningRate) : nil
    }
}
