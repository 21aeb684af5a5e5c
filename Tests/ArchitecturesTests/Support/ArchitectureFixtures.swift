import Foundation
import Testing
import NNCore
import ModelFiles
@testable import Architectures

/// Paths and values of the fixtures written by transformers, gguf-py and sentence-transformers.
enum ArchitectureFixtures {
    static func path(_ relative: String) -> String {
        Bundle.module.resourceURL!.appendingPathComponent("Fixtures").appendingPathComponent(relative).path
    }

    /// Every tensor of a safetensors file, by name, as Float32.
    static func tensors(_ relative: String) throws -> [String: Tensor] {
        let archive = try SafeTensorsReader.read(path: path(relative))
        var result: [String: Tensor] = [:]
        for record in archive.tensors { result[record.name] = try record.makeTensor() }
        return result
    }
}

/// Checks `actual` against PyTorch's `expected` elementwise to `relative`/`absolute` tolerance, naming the first
/// element that is off.
func expectClose(_ actual: Tensor?, _ expected: Tensor?, _ what: String,
                 relative: Float = 1e-4, absolute: Float = 1e-5, sourceLocation: SourceLocation = #_sourceLocation) {
    guard let actual, let expected else {
        Issue.record("\(what): \(actual == nil ? "no value computed" : "no expected value")", sourceLocation: sourceLocation)
        return
    }
    guard actual.shape == expected.shape else {
        Issue.record("\(what): shape \(actual.shape), PyTorch \(expected.shape)", sourceLocation: sourceLocation)
        return
    }
    let a = actual.toArray(), e = expected.toArray()
    var worst: (index: Int, excess: Float)?
    for index in a.indices {
        let excess = abs(a[index] - e[index]) - (absolute + relative * abs(e[index]))
        if !(excess <= 0), worst == nil || excess > worst!.excess || excess.isNaN { worst = (index, excess) }
    }
    if let worst {
        Issue.record("\(what): element \(worst.index) is \(a[worst.index]), PyTorch \(e[worst.index])", sourceLocation: sourceLocation)
    }
}
