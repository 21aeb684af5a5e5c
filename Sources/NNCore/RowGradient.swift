/// A gradient that is zero outside a few rows of a matrix input, kept as those rows: what an embedding's backward
/// gives its weight.
///
/// GPT-2's token embedding is 50257 × 768 (154 MB) and a 64-token step touches at most 64 of its rows. Handing
/// backward a dense gradient cost a zeroed 154 MB temporary and a 154 MB sum with the tied lm_head's gradient per
/// step, most of it page faults on fresh memory; as rows, backward adds them straight into the weight's pending
/// gradient, and a use site's contribution stays rows until someone reads it.
struct RowGradient {
    /// The input's shape, `[rows, width]`.
    let shape: [Int]
    /// The rows that get a gradient, each once.
    let rows: [Int]
    /// `[rows.count, width]`, contiguous: row `i` is the gradient of row `rows[i]` of the input.
    let values: Tensor

    var width: Int { shape[1] }

    /// Sums the rows of `gradient` (`[picks.count, width]`, contiguous) that pick the same input row, in order
    /// (`0 + g₀ + g₁ + …`, exactly the dense path's sum), skipping picks equal to `skipping`.
    init(shape: [Int], picks: [Int], gradient: Tensor, skipping: Int? = nil) {
        self.shape = shape
        let width = shape[1]
        var slotOfRow: [Int: Int] = [:]
        slotOfRow.reserveCapacity(picks.count)
        var rows: [Int] = []
        for index in picks where index != skipping && slotOfRow[index] == nil {
            slotOfRow[index] = rows.count
            rows.append(index)
        }
        let values = Tensor.zeros([rows.count, width])
        for (r, index) in picks.enumerated() {
            guard let slot = slotOfRow[index] else { continue }
            axpy(1, gradient.base + r * width, values.base + slot * width, width)
        }
        self.rows = rows
        self.values = values
    }

    /// The gradient as a dense tensor of `shape`.
    func dense() -> Tensor {
        let out = Tensor.zeros(shape)
        for (i, row) in rows.enumerated() {
            (out.base + row * width).update(from: values.base + i * width, count: width)
        }
        return out
    }

    /// `target += self`, `target` contiguous and of `shape`: only the rows change.
    func add(into target: Tensor) {
        let t = target.base
        for (i, row) in rows.enumerated() {
            let source = values.base + i * width, destination = t + row * width
            for j in 0 ..< width { destination[j] += source[j] }
        }
    }
}
