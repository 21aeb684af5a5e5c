import Foundation

/// What nnview uses from transformers' tokenizer_config.json: the padding token and `do_lower_case`.
struct TokenizerConfig {
    let padToken: String?
    let lowercase: Bool?
    let file = "tokenizer_config.json"

    /// Nil when the folder has no tokenizer_config.json.
    init?(folder: URL, limits: TokenizerLimits) throws(TokenizerError) {
        let url = folder.appendingPathComponent(file)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let root = try limits.parseJSON(try limits.read(url), file: file)
        if let pad = try root.optional("pad_token") {
            // A plain string, or an AddedToken object with its `content`.
            if case .object = pad.value {
                padToken = try pad.required("content").string()
            } else {
                padToken = try pad.string()
            }
        } else {
            padToken = nil
        }
        lowercase = try root.optional("do_lower_case")?.bool()
    }

    /// Sets the padding id from `pad_token`, which must be a token of the vocabulary.
    func applyPadding(to parts: inout PipelineParts) throws(TokenizerError) {
        guard let padToken else { return }
        let bytes = Array(padToken.utf8)
        if let added = parts.addedTokens.first(where: { Array(String(scalars: $0.content).utf8) == bytes }) {
            parts.paddingID = added.id
        } else if let id = parts.model.vocabulary.id(forBytes: bytes) {
            parts.paddingID = id
        } else {
            throw TokenizerError(file: file, field: "pad_token", problem: "\(JSONField.quoted(padToken)) is not in the vocabulary")
        }
    }
}
