import FileFormats
import Foundation

/// Bounds on what a tokenizer file may make the loader do, so a hostile file fails fast with a message instead of
/// exhausting time or memory. The defaults leave room for the largest real tokenizers (Gemma's 262k tokens and
/// 514k merges); tests use smaller ones.
package struct TokenizerLimits: Sendable {
    package var maximumFileBytes: Int
    package var maximumJSONDepth: Int
    package var maximumJSONValues: Int
    package var maximumVocabulary: Int
    package var maximumMerges: Int
    package var maximumAddedTokenScalars: Int

    package init(maximumFileBytes: Int = 64 << 20, maximumJSONDepth: Int = 64, maximumJSONValues: Int = 4_000_000,
                 maximumVocabulary: Int = 1_000_000, maximumMerges: Int = 2_000_000,
                 maximumAddedTokenScalars: Int = 1_000_000) {
        self.maximumFileBytes = maximumFileBytes
        self.maximumJSONDepth = maximumJSONDepth
        self.maximumJSONValues = maximumJSONValues
        self.maximumVocabulary = maximumVocabulary
        self.maximumMerges = maximumMerges
        self.maximumAddedTokenScalars = maximumAddedTokenScalars
    }

    package static let standard = TokenizerLimits()

    /// The bytes of `url`, refused before reading when larger than `maximumFileBytes`.
    func read(_ url: URL) throws(TokenizerError) -> [UInt8] {
        let name = url.lastPathComponent
        let attributes: [FileAttributeKey: Any]
        do {
            attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        } catch {
            throw TokenizerError(file: name, field: "", problem: "cannot be read (\(url.path) does not exist or is not readable)")
        }
        if (attributes[.type] as? FileAttributeType) == .typeDirectory {
            throw TokenizerError(file: name, field: "", problem: "is a directory, not a file")
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        guard size <= maximumFileBytes else {
            throw TokenizerError(file: name, field: "", problem: "is \(size) bytes, more than the limit of \(maximumFileBytes) bytes")
        }
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw TokenizerError(file: name, field: "", problem: "cannot be opened")
        }
        defer { try? handle.close() }
        // Read at most one byte past the limit, in case the file grew since its size was taken.
        let data: Data
        do {
            data = try handle.read(upToCount: maximumFileBytes + 1) ?? Data()
        } catch {
            throw TokenizerError(file: name, field: "", problem: "cannot be read: \(error.localizedDescription)")
        }
        guard data.count <= maximumFileBytes else {
            throw TokenizerError(file: name, field: "", problem: "is more than the limit of \(maximumFileBytes) bytes")
        }
        return [UInt8](data)
    }

    /// Parses `bytes` (the file `name`) as JSON within these limits.
    func parseJSON(_ bytes: [UInt8], file name: String) throws(TokenizerError) -> JSONField {
        // Vocabularies keep repeated keys: two tokens can be canonically equivalent but different bytes.
        let parsed = bytes.withUnsafeBytes { raw in
            Result { () throws(JSONSyntaxError) in
                try JSONParser.parse(raw, maximumDepth: maximumJSONDepth, maximumValues: maximumJSONValues,
                                     rejectsDuplicateKeys: false)
            }
        }
        switch parsed {
        case .success(let value): return JSONField(value: value, file: name, path: "")
        case .failure(let error): throw TokenizerError(file: name, field: "", problem: "invalid JSON: \(error.description)")
        }
    }
}
