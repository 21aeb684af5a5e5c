import Foundation

/// PyTorch's reference cases (fixtures/reference): their names and the run each `.args` file describes.
public enum ReferenceCase {
    /// Every case, each with NAME.nn, .weights, .input, .args and .expect files.
    public static let names = ["seed_sequential", "seed_mlp_class", "seed_chimera", "seed_tied"]

    /// The `.args` file at `path` (`loss=sum steps=3 lr=0.0 zero_grad=False`) as a dictionary.
    public static func arguments(at path: String) throws -> [String: String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var result: [String: String] = [:]
        for pair in text.split(whereSeparator: \.isWhitespace) {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { result[parts[0]] = parts[1] }
        }
        return result
    }
}
