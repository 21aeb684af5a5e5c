import Foundation

/// A tokenizer.json `normalizer`: rewrites the text before it is split into words.
indirect enum Normalizer: Sendable {
    /// BertNormalizer. `stripAccents` is already resolved (tokenizer.json's null means "as `lowercase`").
    case bert(cleanText: Bool, handleChineseCharacters: Bool, stripAccents: Bool, lowercase: Bool)
    case lowercase
    case stripAccents
    case nfd, nfc, nfkd, nfkc
    /// Replace every occurrence of a literal string.
    case replace(pattern: [Unicode.Scalar], content: [Unicode.Scalar])
    case prepend([Unicode.Scalar])
    case strip(left: Bool, right: Bool)
    case sequence([Normalizer])

    func normalize(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        switch self {
        case let .bert(cleanText, handleChineseCharacters, stripAccents, lowercase):
            var result = text
            if cleanText { result = Self.cleaned(result) }
            if handleChineseCharacters { result = Self.spacedAroundIdeographs(result) }
            if stripAccents { result = Self.withoutAccents(result) }
            if lowercase { result = Self.lowercased(result) }
            return result
        case .lowercase: return Self.lowercased(text)
        case .stripAccents: return text.filter { !UnicodeClasses.isBertNonspacingMark($0) }
        case .nfd: return Self.scalars(String(scalars: text).decomposedStringWithCanonicalMapping)
        case .nfc: return Self.scalars(String(scalars: text).precomposedStringWithCanonicalMapping)
        case .nfkd: return Self.scalars(String(scalars: text).decomposedStringWithCompatibilityMapping)
        case .nfkc: return Self.scalars(String(scalars: text).precomposedStringWithCompatibilityMapping)
        case let .replace(pattern, content): return Self.replacing(pattern, with: content, in: text)
        case .prepend(let prefix): return text.isEmpty ? text : prefix + text
        case let .strip(left, right):
            var slice = text[...]
            if left { while let first = slice.first, UnicodeClasses.isRustWhitespace(first) { slice = slice.dropFirst() } }
            if right { while let last = slice.last, UnicodeClasses.isRustWhitespace(last) { slice = slice.dropLast() } }
            return Array(slice)
        case .sequence(let steps): return steps.reduce(text) { $1.normalize($0) }
        }
    }

    /// Drops NUL, U+FFFD and control characters; every other whitespace character becomes a space.
    private static func cleaned(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(text.count)
        for scalar in text where !UnicodeClasses.isBertRemoved(scalar) {
            result.append(UnicodeClasses.isRustWhitespace(scalar) ? " " : scalar)
        }
        return result
    }

    private static func spacedAroundIdeographs(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(text.count)
        for scalar in text {
            if UnicodeClasses.isCJKIdeograph(scalar) {
                result.append(contentsOf: [" ", scalar, " "])
            } else {
                result.append(scalar)
            }
        }
        return result
    }

    /// NFD, then the nonspacing marks removed.
    private static func withoutAccents(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        if text.allSatisfy(\.isASCII) { return text }
        return scalars(String(scalars: text).decomposedStringWithCanonicalMapping).filter { !UnicodeClasses.isBertNonspacingMark($0) }
    }

    /// Each scalar's full lowercase mapping on its own (no context such as a final sigma), as Rust's
    /// `char::to_lowercase`.
    private static func lowercased(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(text.count)
        for scalar in text {
            if scalar.isASCII {
                result.append((0x41 ... 0x5A).contains(scalar.value) ? Unicode.Scalar(scalar.value + 32)! : scalar)
            } else {
                result.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return result
    }

    private static func replacing(_ pattern: [Unicode.Scalar], with content: [Unicode.Scalar],
                                  in text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard !pattern.isEmpty, text.count >= pattern.count else { return text }
        var result: [Unicode.Scalar] = []
        var index = 0
        while index < text.count {
            if index + pattern.count <= text.count, text[index ..< index + pattern.count].elementsEqual(pattern) {
                result.append(contentsOf: content)
                index += pattern.count
            } else {
                result.append(text[index])
                index += 1
            }
        }
        return result
    }

    static func scalars(_ string: String) -> [Unicode.Scalar] { Array(string.unicodeScalars) }
}
