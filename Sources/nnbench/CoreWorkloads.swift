import NNCore
import NNModules

/// The NNCore/NNModules workloads: tiny fwd+bwd passes (per-op overhead), an MNIST-sized training step and
/// square matrix products.
enum CoreWorkloads {
    /// Zero grads, forward, sum, backward of `Sequential(Linear(20,256), ReLU, Linear(256,10))` on 2×20.
    static func seedMLP(_ stopwatch: Stopwatch) throws -> Timing {
        var generator = SeededGenerator(seed: 1)
        let net = Sequential(Linear(20, 256), ReLU(), Linear(256, 10))
        let x = Tensor.randn([2, 20], generator: &generator)
        return try forwardBackward(net, x, stopwatch)
    }

    /// The same for the book's tied network on 2×4.
    static func seedTied(_ stopwatch: Stopwatch) throws -> Timing {
        var generator = SeededGenerator(seed: 2)
        let net = BookNetworks.tied()
        let x = Tensor.randn([2, 4], generator: &generator)
        _ = try net(x)  // initialises the lazy layers
        return try forwardBackward(net, x, stopwatch)
    }

    private static func forwardBackward(_ net: Module, _ x: Tensor, _ stopwatch: Stopwatch) throws -> Timing {
        try stopwatch.measure {
            net.zeroGrad()
            try net(x).sum().backward()
        }
    }

    /// One SGD step of `Sequential(Linear(784,256), ReLU, Linear(256,10))` with cross-entropy on a batch of 64.
    static func mlpTrainStep(_ stopwatch: Stopwatch) throws -> Timing {
        var generator = SeededGenerator(seed: 3)
        let net = Sequential(Linear(784, 256), ReLU(), Linear(256, 10))
        let x = Tensor.randn([64, 784], generator: &generator)
        let labels = (0 ..< 64).map { _ in Float(Int(generator.nextUniform() * 10) % 10) }
        let targets = try Tensor(labels, shape: [64])
        let optimizer = try SGD(net.parameters(), lr: 0.01)
        try checkTrainingStepProducts()
        return try stopwatch.measure {
            optimizer.zeroGrad()
            let loss = try Loss.crossEntropy(output: try net(x), target: targets)
            try loss.backward()
            try optimizer.step()
        }
    }

    /// `linear(x, W, b)` without gradients for x [rows, inputs] and W [outputs, inputs]: BERT-MiniLM's projection
    /// shape (128 tokens, 384 wide) is one product of 19M multiply-adds, 0.1–0.2 ms split over both cores, so the
    /// cost of handing half of it to another thread is a visible part of its time.
    static func linear(rows: Int, inputs: Int, outputs: Int, _ stopwatch: Stopwatch) throws -> Timing {
        var generator = SeededGenerator(seed: 6)
        let x = Tensor.randn([rows, inputs], generator: &generator)
        let weight = Tensor.randn([outputs, inputs], generator: &generator)
        let bias = Tensor.randn([outputs], generator: &generator)
        return try stopwatch.measure { _ = try Autograd.noGrad { try NNCore.linear(x, weight: weight, bias: bias) } }
    }

    /// An n×n by n×n product through `Tensor.matmul` (output allocation included): (time, GFLOP/s at the median).
    static func matmul(size n: Int, _ stopwatch: Stopwatch) throws -> (time: Timing, gflops: Double) {
        var generator = SeededGenerator(seed: 4)
        let a = Tensor.randn([n, n], generator: &generator)
        let b = Tensor.randn([n, n], generator: &generator)
        try checkProduct(a, b, n: n)
        let time = try stopwatch.measure { _ = try a.matmul(b) }
        let flops = 2 * Double(n) * Double(n) * Double(n)
        return (time, flops / (time.median * 1e-6) / 1e9)
    }

    /// Checks the release build's small-product paths (direct loops, the dot-row groups of the C kernels and the
    /// shallow k ≤ 4 strips, which the tests run unoptimised) on the shapes of the tiny workloads and on ragged
    /// edges. Single-threaded shapes only: the threaded ones are checked by `mlpTrainStep`, so the
    /// tiny workloads run before any worker thread exists (idle Dispatch workers shift their times by ~2%).
    static func checkSmallProducts() throws {
        try checkProducts([(2, 20, 256), (2, 256, 10), (256, 2, 20), (10, 2, 256), (3, 7, 37), (64, 784, 10),
                           (5, 1, 8), (7, 3, 9), (9, 4, 23), (4, 2, 17), (2, 20, 13), (3, 13, 8), (2, 65, 11),
                           (4, 5, 17), (2, 4, 8), (2, 8, 8), (8, 2, 4), (64, 256, 10), (64, 10, 256), (10, 64, 256),
                           (9, 67, 11), (13, 129, 5), (5, 1000, 7)], seed: 8)
    }

    /// Checks the threaded release paths of a training step: the unpacked dot tiles of `linear`'s forward and the
    /// zero-skipping weight gradient, on the MNIST step's own shapes and on ragged ones.
    static func checkTrainingStepProducts() throws {
        try checkProducts([(64, 784, 256), (64, 784, 26), (256, 64, 784), (96, 64, 200), (41, 100, 300)], seed: 9)
    }

    /// m×k·k×n plain (`matmul`), with B transposed (`linear`) and with A transposed (`linear`'s weight gradient
    /// gᵀ·x, with half of g exactly zero as after a ReLU), against a Double triple loop.
    private static func checkProducts(_ shapes: [(Int, Int, Int)], seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        for (m, k, n) in shapes {
            let a = Tensor.randn([m, k], generator: &generator), b = Tensor.randn([k, n], generator: &generator)
            let bt = Tensor.randn([n, k], generator: &generator)
            let plain = try a.matmul(b).toArray()
            let viaLinear = try NNCore.linear(a, weight: bt, bias: nil).toArray()  // A·Bᵀ
            // Aᵀ·B as the weight gradient of linear(x = B, W) with upstream gradient g = A (k rows): W.grad = gᵀ·x.
            // Half the upstream gradient exactly zero (as after a ReLU), so large shapes take the zero-skipping path.
            let g = Tensor.randn([k, m], generator: &generator).relu(), weight = Tensor.randn([m, n], generator: &generator)
            weight.requiresGrad = true
            try NNCore.linear(b, weight: weight, bias: nil).backward(gradient: g)
            let transposedA = weight.grad?.toArray() ?? []
            let av = a.toArray(), bv = b.toArray(), btv = bt.toArray(), gv = g.toArray()
            for i in 0 ..< m {
                for j in 0 ..< n {
                    var s1 = 0.0, s2 = 0.0, s3 = 0.0
                    for p in 0 ..< k {
                        s1 += Double(av[i * k + p]) * Double(bv[p * n + j])
                        s2 += Double(av[i * k + p]) * Double(btv[j * k + p])
                        s3 += Double(gv[p * m + i]) * Double(bv[p * n + j])
                    }
                    let tolerance = 1e-4 * Double(k).squareRoot()
                    guard abs(Double(plain[i * n + j]) - s1) <= tolerance, abs(Double(viaLinear[i * n + j]) - s2) <= tolerance,
                          transposedA.count == m * n, abs(Double(transposedA[i * n + j]) - s3) <= tolerance else {
                        throw BenchmarkError("product \(m)×\(k)·\(k)×\(n) is wrong at [\(i), \(j)]")
                    }
                }
            }
        }
        // Leave the allocator as the workloads would find it without the check: its large temporaries would
        // otherwise stay pooled and reshape malloc's heap, which shifts the tiny workloads' times by ~2%.
        Tensor.releaseCachedMemory()
    }

    /// Spot-checks the release build's kernel (the tests run it unoptimised) against dot products.
    private static func checkProduct(_ a: Tensor, _ b: Tensor, n: Int) throws {
        let c = try a.matmul(b).toArray(), av = a.toArray(), bv = b.toArray()
        for (i, j) in [(0, 0), (n - 1, n - 1), (n / 2, 7 % n), (5 % n, n - 3)] {
            var sum = 0.0
            for p in 0 ..< n { sum += Double(av[i * n + p]) * Double(bv[p * n + j]) }
            guard abs(Double(c[i * n + j]) - sum) <= 1e-3 * Double(n).squareRoot() else {
                throw BenchmarkError("matmul\(n): C[\(i),\(j)] = \(c[i * n + j]), expected \(sum)")
            }
        }
    }
}
