import Foundation
import NNModules

/// What `I` takes: an initialiser's name with PyTorch's arguments, `normal(0, 0.02)`, `uniform(-0.1, 0.1)`,
/// `constant(3)`, `xavier_uniform`, `kaiming`, positional or by PyTorch's keyword (`normal(std=0.02)`).
enum InitializerSpec {
    static let examples = "normal(0, 0.02), uniform(-0.1, 0.1), constant(3), zeros, ones, xavier_uniform, kaiming"

    /// The initialiser `text` names; throws a one-line error naming what is wrong.
    static func parse(_ text: String) throws -> Init {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var name = trimmed
        var arguments: [(key: String?, value: Float)] = []
        if let open = trimmed.firstIndex(of: "(") {
            guard trimmed.hasSuffix(")") else { throw error("'\(text)' has no closing ')'") }
            name = String(trimmed[..<open]).trimmingCharacters(in: .whitespaces)
            let inside = trimmed[trimmed.index(after: open) ..< trimmed.index(before: trimmed.endIndex)]
            for part in inside.split(separator: ",", omittingEmptySubsequences: false) {
                let piece = part.trimmingCharacters(in: .whitespaces)
                if piece.isEmpty { continue }
                let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard let value = Float(pair.last!), value.isFinite else {
                    throw error("'\(pair.last!)' in '\(text)' is not a finite number")
                }
                arguments.append((pair.count == 2 ? pair[0] : nil, value))
            }
        }
        let key = name.lowercased().replacingOccurrences(of: "-", with: "_")
        func argument(_ position: Int, _ names: [String], default value: Float) throws -> Float {
            if let named = arguments.first(where: { $0.key.map(names.contains) ?? false }) { return named.value }
            let positional = arguments.filter { $0.key == nil }
            return position < positional.count ? positional[position].value : value
        }
        func allow(_ count: Int, _ keywords: [String]) throws {
            let unknown = arguments.compactMap(\.key).filter { !keywords.contains($0) }
            if let bad = unknown.first { throw error("\(name) takes no argument '\(bad)' (it takes \(keywords.joined(separator: ", ")))") }
            if arguments.count > count { throw error("\(name) takes at most \(count) argument\(count == 1 ? "" : "s"), got \(arguments.count)") }
        }
        switch key {
        case "normal":
            try allow(2, ["mean", "std"])
            if arguments.isEmpty { return try Init.named("normal") }
            let std = try argument(1, ["std"], default: 1)
            guard std >= 0 else { throw error("normal: std must be at least 0, got \(std)") }
            return Init.normal(mean: try argument(0, ["mean"], default: 0), std: std)
        case "uniform":
            try allow(2, ["a", "b"])
            if arguments.isEmpty { return try Init.named("uniform") }
            let low = try argument(0, ["a"], default: 0), high = try argument(1, ["b"], default: 1)
            guard low <= high else { throw error("uniform: a (\(low)) must not exceed b (\(high))") }
            return Init.uniform(low: low, high: high)
        case "constant":
            try allow(1, ["val"])
            guard !arguments.isEmpty else { throw error("constant needs its value: constant(3)") }
            return Init.constant(try argument(0, ["val"], default: 0))
        case "zeros", "zero":
            try allow(0, [])
            return Init.zeros
        case "ones":
            try allow(0, [])
            return Init.ones
        case "xavier", "xavier_uniform":
            try allow(1, ["gain"])
            return Init.xavierUniform(gain: try argument(0, ["gain"], default: 1))
        case "kaiming", "kaiming_uniform":
            try allow(1, ["a"])
            return arguments.isEmpty ? Init.kaimingUniform() : Init.kaimingUniform(a: try argument(0, ["a"], default: 0))
        default:
            throw error("unknown initialiser '\(name)'")
        }
    }

    private static func error(_ what: String) -> ExplorerError {
        ExplorerError("re-initialise: \(what) (try \(examples); nothing changed)")
    }
}
