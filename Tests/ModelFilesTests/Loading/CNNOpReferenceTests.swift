import NNCore
import Testing
@testable import FileFormats
@testable import ModelFiles

/// The CNN ops against PyTorch (Fixtures/reference/cnn_ops.safetensors, written by scripts/reference/cnn_ops.py):
/// for each case the output and the gradients of sum(y · gy) with respect to every input.
@Suite struct CNNOpReferenceTests {
    static let reference: [String: Tensor] = {
        let dict = try! ModelFileReader.open(path: Fixtures.path("reference/cnn_ops.safetensors")).stateDict()
        return Dictionary(uniqueKeysWithValues: dict.entries.compactMap { entry in entry.tensor.map { (entry.name, $0) } })
    }()

    static func tensor(_ name: String) throws -> Tensor {
        try #require(reference[name], "no \(name) in cnn_ops.safetensors")
    }

    static func expectClose(_ actual: Tensor, _ expected: Tensor, _ what: String) {
        #expect(actual.shape == expected.shape, "\(what): shape \(actual.shape), PyTorch \(expected.shape)")
        for (index, (a, e)) in zip(actual.toArray(), expected.toArray()).enumerated() {
            let ok = abs(a - e) <= 1e-5 + 1e-4 * abs(e)
            #expect(ok, "\(what)[\(index)]: nnview \(a), PyTorch \(e)")
            if !ok { return }
        }
    }

    /// Runs `op` on the case's inputs (x, and w, b where the file has them), then backward with the case's gy,
    /// and compares y and every gradient.
    static func check(_ name: String, _ op: (Tensor, Tensor?, Tensor?) throws -> Tensor) throws {
        let x = try tensor("\(name)/x").clone()
        let w = try reference["\(name)/w"].map { $0.clone() }
        let b = try reference["\(name)/b"].map { $0.clone() }
        for t in [x, w, b].compactMap({ $0 }) { t.requiresGrad = true }
        let y = try op(x, w, b)
        expectClose(y, try tensor("\(name)/y"), "\(name) y")
        try (y * tensor("\(name)/gy")).sum().backward()
        expectClose(try #require(x.grad), try tensor("\(name)/gx"), "\(name) gx")
        if let w { expectClose(try #require(w.grad), try tensor("\(name)/gw"), "\(name) gw") }
        if let b { expectClose(try #require(b.grad), try tensor("\(name)/gb"), "\(name) gb") }
    }

    @Test func convolutions() throws {
        let cases: [(String, (Int, Int), Conv2dPadding, (Int, Int), Int)] = [
            ("conv_basic", (1, 1), .valid, (1, 1), 1),
            ("conv_stride_pad", (2, 3), .explicit(1, 2), (1, 1), 1),
            ("conv_dilation", (1, 1), .explicit(2, 2), (2, 3), 1),
            ("conv_groups", (1, 1), .explicit(1, 1), (1, 1), 2),
            ("conv_depthwise", (2, 2), .explicit(1, 1), (1, 1), 5),
            ("conv_depthwise_mult", (1, 1), .explicit(1, 1), (1, 1), 3),
            ("conv_same", (1, 1), .same, (1, 1), 1),
            ("conv_same_dilated", (1, 1), .same, (2, 2), 1),
            ("conv_1x1", (1, 1), .valid, (1, 1), 1),
        ]
        for (name, stride, padding, dilation, groups) in cases {
            try Self.check(name) { x, w, b in
                try conv2d(x, weight: try #require(w), bias: b, stride: stride, padding: padding, dilation: dilation,
                           groups: groups)
            }
        }
    }

    @Test func pools() throws {
        try Self.check("maxpool_basic") { x, _, _ in try maxPool2d(x, kernel: (2, 2)) }
        try Self.check("maxpool_pad_stride") { x, _, _ in try maxPool2d(x, kernel: (3, 2), stride: (2, 1), padding: (1, 1)) }
        try Self.check("maxpool_ceil") { x, _, _ in try maxPool2d(x, kernel: (3, 3), stride: (2, 2), padding: (1, 1), ceilMode: true) }
        try Self.check("maxpool_dilation") { x, _, _ in try maxPool2d(x, kernel: (2, 2), stride: (1, 1), dilation: (2, 2)) }
        try Self.check("avgpool_basic") { x, _, _ in try avgPool2d(x, kernel: (2, 2)) }
        try Self.check("avgpool_pad_include") { x, _, _ in try avgPool2d(x, kernel: (3, 3), stride: (2, 2), padding: (1, 1)) }
        try Self.check("avgpool_pad_exclude") { x, _, _ in
            try avgPool2d(x, kernel: (3, 3), stride: (2, 2), padding: (1, 1), countIncludePad: false)
        }
        try Self.check("avgpool_ceil") { x, _, _ in try avgPool2d(x, kernel: (3, 2), stride: (2, 2), padding: (1, 1), ceilMode: true) }
        try Self.check("avgpool_ceil_exclude") { x, _, _ in
            try avgPool2d(x, kernel: (3, 3), stride: (2, 2), ceilMode: true, countIncludePad: false)
        }
        try Self.check("adaptive_1") { x, _, _ in try adaptiveAvgPool2d(x, outputSize: (1, 1)) }
        try Self.check("adaptive_3x4") { x, _, _ in try adaptiveAvgPool2d(x, outputSize: (3, 4)) }
        try Self.check("adaptive_grow") { x, _, _ in try adaptiveAvgPool2d(x, outputSize: (7, 6)) }
    }

    @Test func batchNorms() throws {
        let mean = try Self.tensor("bn_train/running_mean_before").clone()
        let variance = try Self.tensor("bn_train/running_var_before").clone()
        try Self.check("bn_train") { x, w, b in
            try batchNorm(x, runningMean: mean, runningVar: variance, weight: w, bias: b, training: true, averageFactor: 0.1)
        }
        Self.expectClose(mean, try Self.tensor("bn_train/running_mean"), "bn_train running_mean")
        Self.expectClose(variance, try Self.tensor("bn_train/running_var"), "bn_train running_var")

        let mean2 = Tensor.zeros([3]), variance2 = Tensor.ones([3])
        try Self.check("bn_train_2d") { x, _, _ in
            try batchNorm(x, runningMean: mean2, runningVar: variance2, training: true, averageFactor: 0.3, eps: 1e-3)
        }
        Self.expectClose(mean2, try Self.tensor("bn_train_2d/running_mean"), "bn_train_2d running_mean")
        Self.expectClose(variance2, try Self.tensor("bn_train_2d/running_var"), "bn_train_2d running_var")

        let mean3 = try Self.tensor("bn_eval/running_mean"), variance3 = try Self.tensor("bn_eval/running_var")
        try Self.check("bn_eval") { x, w, b in
            try batchNorm(x, runningMean: mean3, runningVar: variance3, weight: w, bias: b, training: false)
        }
    }

    @Test func concatenationAndFlatten() throws {
        try Self.check("cat_channels") { x, w, _ in try Tensor.cat([x, try #require(w)], dim: 1) }
        try Self.check("flatten_1") { x, _, _ in try x.flatten(startDim: 1) }
        try Self.check("flatten_2_3") { x, _, _ in try x.flatten(startDim: 2, endDim: 3) }
    }

    @Test func activations() throws {
        try Self.check("relu6") { x, _, _ in x.relu6() }
        try Self.check("hardswish") { x, _, _ in x.hardswish() }
        try Self.check("hardsigmoid") { x, _, _ in x.hardsigmoid() }
        try Self.check("silu") { x, _, _ in x.silu() }
    }
}
