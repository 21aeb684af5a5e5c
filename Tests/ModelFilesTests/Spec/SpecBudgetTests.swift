import NNCore
import NNModules
import Testing
@testable import FileFormats
@testable import ModelFiles

/// The memory budget of the spec language knows every built-in layer: its parameters and buffers when it is made,
/// and the activations of convolutions and pools before the dry forward runs.
@Suite struct SpecBudgetTests {
    private func failure(_ source: String, limits: SpecLimits = .standard) -> String? {
        do {
            _ = try ModelSpec.parse(source, file: "t.nn", limits: limits)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func everyRegisteredLayerIsKnownToTheBudget() {
        // The budget reads each layer's description (NNModulesTests' LayerDescriptionTests checks them against the
        // modules); a name registered without one would be unknown to it.
        let unknown = ModuleRegistry.shared.names.filter { ModuleRegistry.shared.description(of: $0) == nil }
        #expect(unknown.isEmpty, "layers the spec budget does not account for: \(unknown)")
        #expect(failure("model = BatchNorm1d(100000000)")?.hasPrefix("t.nn:1:9: BatchNorm1d(100000000) needs 400000001 elements") == true)
    }

    @Test func momentumNoneIsACumulativeAverage() throws {
        let spec = try ModelSpec.parse("model = Sequential(BatchNorm1d(2, momentum=None), BatchNorm2d(2, momentum=None), Flatten())")
        let first = try #require(spec.model.module(at: "0") as? BatchNorm1d)
        let second = try #require(spec.model.module(at: "1") as? BatchNorm2d)
        #expect(first.momentum == nil && second.momentum == nil)
        #expect(try #require(ModelSpec.parse("model = BatchNorm1d(2)").model as? BatchNorm1d).momentum == 0.1)
    }

    @Test func convolutionParametersCountAgainstTheBudget() throws {
        // weight [100000, 300, 3, 3] = 270 million elements
        #expect(failure("model = Conv2d(300, 100000, 3)")?.hasPrefix("t.nn:1:9: Conv2d(300, 100000, kernel_size=(3, 3)) needs") == true)
        #expect(failure("model = BatchNorm2d(100000000)")?.hasPrefix("t.nn:1:9: BatchNorm2d(100000000) needs") == true)
        let small = SpecLimits(maxElements: 190)
        // 4·3·3·3 + 4 = 112 parameters, then 4·4 + 1 for BatchNorm2d(4) (weight, bias, running statistics, counter),
        // then 4·4·2·2 + 4 = 68 more: 197
        #expect(failure("model = Sequential(Conv2d(3, 4, 3), BatchNorm2d(4))", limits: small) == nil)
        #expect(failure("model = Sequential(Conv2d(3, 4, 3), BatchNorm2d(4), Conv2d(4, 4, 2))", limits: small)?
                    .contains("Conv2d(4, 4, kernel_size=(2, 2)) needs") == true)
    }

    @Test func convolutionActivationsAreCheckedBeforeTheForward() throws {
        // 4096 channels of 64×64 for a batch of 64: a billion elements, refused before anything runs.
        let message = failure("model = Sequential(Conv2d(3, 4096, 1), ReLU())\ninput = rand(64, 3, 64, 64)")
        #expect(message?.hasPrefix("t.nn:1:20: Conv2d(3, 4096, kernel_size=(1, 1)) could make activations") == true, "\(message ?? "no error")")
        // An adaptive pool's output side counts too.
        let pool = failure("model = Sequential(Conv2d(3, 8, 1), AdaptiveAvgPool2d(20000))\ninput = rand(1, 3, 8, 8)")
        #expect(pool?.contains("could make activations") == true, "\(pool ?? "no error")")
        #expect(failure("model = Sequential(Conv2d(3, 8, 3, padding=1), MaxPool2d(2))\ninput = rand(2, 3, 16, 16)") == nil)
    }

    @Test func theDryForwardLeavesBatchNormStatisticsAlone() throws {
        let spec = try ModelSpec.parse("model = Sequential(Conv2d(3, 4, 3), BatchNorm2d(4))\ninput = rand(2, 3, 6, 6)")
        let norm = try #require(spec.model.module(at: "1"))
        #expect(try #require(norm.buffer("num_batches_tracked")).item() == 0)
        #expect(try #require(norm.buffer("running_mean")).toArray() == [0, 0, 0, 0])
        #expect(try #require(norm.buffer("running_var")).toArray() == [1, 1, 1, 1])
    }

    @Test func layersTakePyTorchsSpelling() throws {
        let spec = try ModelSpec.parse("""
            model = Sequential(Conv2d(3, 6, kernel_size=[3, 2], stride=1, padding="same", groups=3, bias=false),
                BatchNorm2d(6, eps=0.001, momentum=0.01), ReLU6(inplace=true), Hardswish(), Hardsigmoid(), SiLU(),
                MaxPool2d(3, stride=2, padding=1, ceil_mode=true), AvgPool2d(2, count_include_pad=false),
                AdaptiveAvgPool2d([1, 1]), Flatten(start_dim=1, end_dim=-1))
            input = rand(2, 3, 9, 9)
            """)
        #expect(spec.output?.shape == [2, 6])
        #expect(spec.model.stateDict().keys == ["0.weight", "1.weight", "1.bias", "1.running_mean", "1.running_var",
                                               "1.num_batches_tracked"])
        #expect(try spec.model.stateDict()["1.num_batches_tracked"]?.dtype == .int64)
        #expect(failure("model = Conv2d(3, 6, 3, groups=4)")?.contains("in_channels 3 must be divisible by groups 4") == true)
        #expect(failure("model = Conv2d(3, 6, 3, padding=\"full\")")?.contains("padding must be") == true)
        #expect(failure("model = MaxPool2d(2, padding=2)")?.contains("half the kernel size") == true)
    }
}
