/// Repeats each key/value head `times` times for grouped-query attention, as transformers' `repeat_kv`:
/// [B, Hkv, T, D] → [B, Hkv·times, T, D], head g·times + r being a copy of head g. With `times` 1 the input is
/// returned as is; the gradient of each head is the sum over its copies.
public func repeatKeyValueHeads(_ x: Tensor, times: Int) throws -> Tensor {
    let op = "repeatKeyValueHeads"
    guard x.rank == 4 else {
        throw TensorError(op, "input must be [batch, key/value heads, length, head dim], got \(shapeText(x.shape))")
    }
    guard times >= 1 else { throw TensorError(op, "times \(times) must be at least 1 for input \(shapeText(x.shape))") }
    if times == 1 { return x }
    let batch = x.shape[0], heads = x.shape[1]
    let outShape = [batch, heads * times, x.shape[2], x.shape[3]]
    _ = try checkedCount(outShape, op: op)
    let head = x.shape[2] * x.shape[3]
    let xc = x.contiguousData()
    let out = Tensor.uninitialized(outShape)
    for group in 0..<(batch * heads) {
        let src = xc.base + group * head
        for r in 0..<times { (out.base + (group * times + r) * head).update(from: src, count: head) }
    }
    if Tensor.recording(x) {
        let inputShape = x.shape
        out.record("RepeatKeyValueHeadsBackward0", [x]) { _, g in
            let gc = g.contiguousData()
            let gx = Tensor.uninitialized(inputShape)
            for group in 0..<(batch * heads) {
                let dst = gx.base + group * head
                dst.update(from: gc.base + group * times * head, count: head)
                for r in 1..<times { axpy(1, gc.base + (group * times + r) * head, dst, head) }
            }
            return [gx]
        }
    }
    return out
}
