import NNCore

/// The sizes of the last SGD update (`s`, or the last step of a training run), per parameter: ‖Δw‖ = lr·‖grad‖ and
/// ‖w‖ before the update. Their ratio per layer is the update-to-weight ratio the gradient-flow view shows (about
/// 1e-3 is the usual rule of thumb: much smaller learns slowly, much larger is unstable).
struct ParameterUpdates: Equatable {
    /// One parameter's update: the norms of the change and of the values before it.
    struct Sizes: Equatable {
        var update: Float
        var weight: Float
    }

    /// By tensor entry id.
    private(set) var byEntry: [Int: Sizes] = [:]
    /// The learning rate of the update.
    let learningRate: Float

    /// An empty record for an update at `learningRate`.
    init(learningRate: Float) {
        self.learningRate = learningRate
    }

    /// Records the update `weight -= learningRate * gradient` of entry `id` (call before applying it).
    mutating func record(entry id: Int, weight: Tensor, gradient: Tensor) {
        byEntry[id] = Sizes(update: abs(learningRate) * TensorStatistics.norm(of: gradient),
                            weight: TensorStatistics.norm(of: weight))
    }

    /// Records sizes measured elsewhere.
    mutating func record(entry id: Int, sizes: Sizes) {
        byEntry[id] = sizes
    }

    /// ‖Δw‖/‖w‖ over the entries `ids` together (√Σ‖Δw‖² / √Σ‖w‖²); nil when none of them was updated. A zero
    /// weight with a non-zero update is an infinite ratio.
    func ratio(of ids: [Int]) -> Float? {
        var update: Float = 0, weight: Float = 0, any = false
        for id in ids {
            guard let sizes = byEntry[id] else { continue }
            any = true
            update += sizes.update * sizes.update
            weight += sizes.weight * sizes.weight
        }
        guard any else { return nil }
        if weight == 0 { return update == 0 ? 0 : .infinity }
        return (update / weight).squareRoot()
    }
}
