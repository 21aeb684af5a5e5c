/// Reads a tokenizer.json (the tokenizers library's serialization) into pipeline parts. Every stage type the
/// fixtures and common BERT / GPT-2 / Llama-3-style files use is supported; anything else is refused by name.
struct TokenizerJSONReader {
    let limits: TokenizerLimits

    func parts(from root: JSONField) throws(TokenizerError) -> PipelineParts {
        let modelField = try root.required("model")
        let addedField = try root.optional("added_tokens")
        let normalizer = try root.optional("normalizer").map { (field) throws(TokenizerError) in try normalizerStage(field) }
        let model = try self.model(modelField, addedTokenCount: try addedField?.arrayCount() ?? 0)
        var parts = PipelineParts(normalizer: normalizer, model: model)
        parts.preTokenizer = try root.optional("pre_tokenizer").map { (field) throws(TokenizerError) in try preTokenizerStage(field) }
        parts.addedTokens = try addedField.map { (field) throws(TokenizerError) in try addedTokens(field, idLimit: model.vocabulary.idLimit) } ?? []
        let tokenIDs = Self.tokenIDs(model.vocabulary, parts.addedTokens)
        if let post = try root.optional("post_processor") {
            parts.postProcessor = try postProcessor(post, tokenIDs: tokenIDs)
        }
        if let decoderField = try root.optional("decoder") {
            parts.decoder = try decoder(decoderField)
        }
        if let padding = try root.optional("padding"), let padID = try padding.optional("pad_id") {
            let id = try padID.integer(in: 0 ... Int(Int32.max))
            guard tokenIDs(id: id) else { throw padID.error("\(id) is not the id of any token") }
            parts.paddingID = id
        }
        return parts
    }

    /// Looks up a token spelled in the file among the model's vocabulary and the added tokens.
    private struct TokenIDs {
        let vocabulary: Vocabulary
        let added: [(bytes: [UInt8], id: Int)]

        func id(_ token: String) -> Int? {
            let bytes = Array(token.utf8)
            return added.first { $0.bytes == bytes }?.id ?? vocabulary.id(forBytes: bytes)
        }

        func callAsFunction(id: Int) -> Bool {
            vocabulary.contains(id: id) || added.contains { $0.id == id }
        }
    }

    private static func tokenIDs(_ vocabulary: Vocabulary, _ added: [AddedToken]) -> TokenIDs {
        TokenIDs(vocabulary: vocabulary, added: added.map { (Array(String(scalars: $0.content).utf8), $0.id) })
    }

    // MARK: model

    private func model(_ field: JSONField, addedTokenCount: Int) throws(TokenizerError) -> any TokenizerModel {
        let hasMerges = try field.optional("merges") != nil
        let type = try field.optionalString("type") ?? (hasMerges ? "BPE" : "WordPiece")
        let vocabularyField = try field.required("vocab")
        func problem(_ path: String, _ message: String) -> TokenizerError {
            TokenizerError(file: field.file, field: path, problem: message)
        }
        switch type {
        case "WordPiece":
            let vocabulary = try self.vocabulary(vocabularyField, addedTokenCount: addedTokenCount)
            let maximum = try field.optional("max_input_chars_per_word")?.integer(in: 0 ... Int(Int32.max)) ?? 100
            return try ModelBuilder.wordPiece(
                vocabulary: vocabulary, unknownToken: try field.optionalString("unk_token") ?? "[UNK]",
                continuingPrefix: try field.optionalString("continuing_subword_prefix") ?? "##",
                maximumCharactersPerWord: maximum, problem: problem)
        case "BPE":
            let vocabulary = try self.vocabulary(vocabularyField, addedTokenCount: addedTokenCount)
            if let dropout = try field.optional("dropout"), case .number(let text) = dropout.value,
               let value = Double(text), value > 0 {
                throw dropout.error("BPE dropout \(text) makes encoding random; not supported")
            }
            let mergesField = try field.optional("merges")
            if let mergesField, case let count = try mergesField.arrayCount(), count > limits.maximumMerges {
                throw mergesField.error("\(count) merges, more than the limit of \(limits.maximumMerges)")
            }
            let mergeItems = try mergesField?.array() ?? []
            var merges: [(left: String, right: String)] = []
            merges.reserveCapacity(mergeItems.count)
            for item in mergeItems {
                switch item.value {
                case .string(let text):
                    guard let merge = ModelBuilder.splitMerge(text) else {
                        throw item.error("\(JSONField.quoted(text)) is not two tokens separated by a space")
                    }
                    merges.append(merge)
                case .array(let pair):
                    guard pair.count == 2, case .string(let left) = pair[0], case .string(let right) = pair[1] else {
                        throw item.error("expected a pair of two strings")
                    }
                    merges.append((left, right))
                default:
                    throw item.error("expected \"a b\" or [\"a\", \"b\"], found \(item.value.kind)")
                }
            }
            return try ModelBuilder.bytePair(
                vocabulary: vocabulary, merges: merges, limits: limits,
                unknownToken: try field.optionalString("unk_token"),
                fuseUnknown: try field.optionalBool("fuse_unk", default: false),
                byteFallback: try field.optionalBool("byte_fallback", default: false),
                continuingPrefix: try field.optionalString("continuing_subword_prefix") ?? "",
                endOfWordSuffix: try field.optionalString("end_of_word_suffix") ?? "",
                ignoreMerges: try field.optionalBool("ignore_merges", default: false),
                problem: problem,
                mergeField: { index in index < 0 ? "\(field.path).merges" : "\(field.path).merges[\(index)]" })
        default:
            throw try field.required("type").error("model type \(JSONField.quoted(type)) is not supported (WordPiece and BPE are)")
        }
    }

    /// `{"token": id, …}` with ids below the number of tokens (vocabulary and added tokens together), so nothing
    /// is allocated from an id the file chose.
    private func vocabulary(_ field: JSONField, addedTokenCount: Int) throws(TokenizerError) -> Vocabulary {
        let members = try field.members()
        guard members.count <= limits.maximumVocabulary else {
            throw field.error("\(members.count) tokens, more than the limit of \(limits.maximumVocabulary)")
        }
        var entries: [(token: String, id: Int)] = []
        entries.reserveCapacity(members.count)
        for member in members {
            entries.append((member.key, try member.field.integer(in: 0 ... Int(Int32.max))))
        }
        let idLimit = members.count + addedTokenCount
        return try Vocabulary(entries: entries, idLimit: idLimit) { index, message in
            members[index].field.error(message)
        }
    }

    // MARK: added tokens

    private func addedTokens(_ field: JSONField, idLimit: Int) throws(TokenizerError) -> [AddedToken] {
        let items = try field.array()
        let limit = idLimit + items.count
        var tokens: [AddedToken] = []
        var ids = Set<Int>()
        var totalScalars = 0
        for item in items {
            let idField = try item.required("id")
            let id = try idField.integer(in: 0 ... Int(Int32.max))
            guard id < limit else { throw idField.error("\(id) is outside 0..<\(limit) (vocabulary and added tokens)") }
            guard ids.insert(id).inserted else { throw idField.error("id \(id) is given to two added tokens") }
            let content = try item.required("content").string()
            // Added tokens become a trie, one node per scalar: bound it.
            totalScalars += content.unicodeScalars.count
            guard totalScalars <= limits.maximumAddedTokenScalars else {
                throw field.error("more than \(limits.maximumAddedTokenScalars) characters in added tokens")
            }
            tokens.append(AddedToken(
                content: Array(content.unicodeScalars), id: id,
                special: try item.optionalBool("special", default: false),
                singleWord: try item.optionalBool("single_word", default: false),
                leftStrip: try item.optionalBool("lstrip", default: false),
                rightStrip: try item.optionalBool("rstrip", default: false),
                normalized: try item.optionalBool("normalized", default: true)))
        }
        return tokens
    }

    // MARK: normalizer

    private func normalizerStage(_ field: JSONField) throws(TokenizerError) -> Normalizer {
        let type = try field.required("type").string()
        switch type {
        case "BertNormalizer":
            let lowercase = try field.optionalBool("lowercase", default: true)
            return .bert(cleanText: try field.optionalBool("clean_text", default: true),
                         handleChineseCharacters: try field.optionalBool("handle_chinese_chars", default: true),
                         stripAccents: try field.optional("strip_accents")?.bool() ?? lowercase,
                         lowercase: lowercase)
        case "Lowercase": return .lowercase
        case "StripAccents": return .stripAccents
        case "NFD": return .nfd
        case "NFC": return .nfc
        case "NFKD": return .nfkd
        case "NFKC": return .nfkc
        case "Strip":
            return .strip(left: try field.optionalBool("strip_left", default: true),
                          right: try field.optionalBool("strip_right", default: true))
        case "Prepend": return .prepend(Array(try field.required("prepend").string().unicodeScalars))
        case "Replace":
            let pattern = try literalPattern(try field.required("pattern"))
            return .replace(pattern: Array(pattern.unicodeScalars),
                            content: Array(try field.required("content").string().unicodeScalars))
        case "Sequence":
            var steps: [Normalizer] = []
            for item in try field.required("normalizers").array() { steps.append(try normalizerStage(item)) }
            return .sequence(steps)
        default:
            throw try field.required("type").error("normalizer \(JSONField.quoted(type)) is not supported")
        }
    }

    /// `{"String": "…"}`; a `{"Regex": …}` pattern is refused.
    private func literalPattern(_ field: JSONField) throws(TokenizerError) -> String {
        if let literal = try field.optional("String") { return try literal.string() }
        throw field.error("only literal String patterns are supported")
    }

    // MARK: pre-tokenizer

    private func preTokenizerStage(_ field: JSONField) throws(TokenizerError) -> PreTokenizer {
        let type = try field.required("type").string()
        switch type {
        case "BertPreTokenizer": return .bert
        case "ByteLevel":
            return .byteLevel(addPrefixSpace: try field.optionalBool("add_prefix_space", default: true),
                              useRegex: try field.optionalBool("use_regex", default: true))
        case "WhitespaceSplit": return .whitespaceSplit
        case "Split":
            let patternField = try field.required("pattern")
            guard let regex = try patternField.optional("Regex")?.string() else {
                throw patternField.error("only the Regex patterns of GPT-2, Llama 3 and Qwen 2 are supported")
            }
            guard let pattern = Self.knownSplitPatterns.first(where: { $0.regex.utf8.elementsEqual(regex.utf8) })?.pattern else {
                throw patternField.error("regular expression \(JSONField.quoted(regex)) is not supported (GPT-2's, Llama 3's and Qwen 2's are)")
            }
            let behavior = try field.optionalString("behavior") ?? "Isolated"
            guard behavior == "Isolated", try !field.optionalBool("invert", default: false) else {
                throw field.error("only behavior Isolated without invert is supported")
            }
            return .split(pattern)
        case "Metaspace":
            let replacement = try field.optionalString("replacement") ?? "\u{2581}"
            guard replacement.unicodeScalars.count == 1, let scalar = replacement.unicodeScalars.first else {
                throw try field.required("replacement").error("must be one character")
            }
            return .metaspace(replacement: scalar, prependScheme: try prependScheme(field),
                              split: try field.optionalBool("split", default: true))
        case "Whitespace": return .whitespace
        case "Sequence":
            var steps: [PreTokenizer] = []
            for item in try field.required("pretokenizers").array() { steps.append(try preTokenizerStage(item)) }
            return .sequence(steps)
        default:
            throw try field.required("type").error("pre-tokenizer \(JSONField.quoted(type)) is not supported")
        }
    }

    /// `prepend_scheme` (always, first, never), or the older `add_prefix_space` flag.
    private func prependScheme(_ field: JSONField) throws(TokenizerError) -> PreTokenizer.PrependScheme {
        guard let schemeField = try field.optional("prepend_scheme") else {
            return try field.optionalBool("add_prefix_space", default: true) ? .always : .never
        }
        switch try schemeField.string() {
        case "always": return .always
        case "first": return .first
        case "never": return .never
        case let other: throw schemeField.error("\(JSONField.quoted(other)) is not always, first or never")
        }
    }

    static let knownSplitPatterns: [(regex: String, pattern: PreTokenizer.SplitPattern)] = [
        (#"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#, .gpt2),
        (#"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#,
         .llama(LlamaSplit(maximumDigits: 3))),
        (#"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#,
         .llama(LlamaSplit(maximumDigits: 1))),
    ]

    // MARK: post-processor

    private func postProcessor(_ field: JSONField, tokenIDs: TokenIDs) throws(TokenizerError) -> PostProcessor {
        let type = try field.required("type").string()
        switch type {
        case "ByteLevel": return .identity
        case "TemplateProcessing":
            let specials = try field.optional("special_tokens")?.members() ?? []
            let single = try template(try field.required("single"), specials: specials, tokenIDs: tokenIDs)
            var pair: [PostProcessor.Piece]?
            if let pairField = try field.optional("pair") {
                pair = try template(pairField, specials: specials, tokenIDs: tokenIDs)
            }
            return PostProcessor(single: single, pair: pair)
        case "BertProcessing":
            return .bert(cls: try specialPair(try field.required("cls"), tokenIDs: tokenIDs),
                         sep: try specialPair(try field.required("sep"), tokenIDs: tokenIDs))
        case "RobertaProcessing":
            return .roberta(cls: try specialPair(try field.required("cls"), tokenIDs: tokenIDs),
                            sep: try specialPair(try field.required("sep"), tokenIDs: tokenIDs))
        case "Sequence":
            // Processors run in turn on what the one before produced; ByteLevel ones add nothing.
            var result = PostProcessor.identity
            for item in try field.required("processors").array() {
                result = try postProcessor(item, tokenIDs: tokenIDs).composed(after: result)
            }
            return result
        default:
            throw try field.required("type").error("post-processor \(JSONField.quoted(type)) is not supported")
        }
    }

    /// A TemplateProcessing template: `{"SpecialToken": {"id": "[CLS]", "type_id": 0}}` and
    /// `{"Sequence": {"id": "A", "type_id": 0}}` items.
    private func template(_ field: JSONField, specials: [(key: String, field: JSONField)],
                          tokenIDs: TokenIDs) throws(TokenizerError) -> [PostProcessor.Piece] {
        var pieces: [PostProcessor.Piece] = []
        for item in try field.array() {
            if let sequence = try item.optional("Sequence") {
                let typeID = try sequence.optional("type_id")?.integer(in: 0 ... Int(Int32.max)) ?? 0
                let name = try sequence.optional("id")?.string() ?? "A"
                switch name {
                case "A": pieces.append(.sequence(.first, typeID: typeID))
                case "B": pieces.append(.sequence(.second, typeID: typeID))
                default: throw try sequence.required("id").error("expected \"A\" or \"B\"")
                }
            } else if let special = try item.optional("SpecialToken") {
                let name = try special.required("id").string()
                let typeID = try special.optional("type_id")?.integer(in: 0 ... Int(Int32.max)) ?? 0
                guard let entry = specials.first(where: { $0.key.utf8.elementsEqual(name.utf8) }) else {
                    throw special.error("\(JSONField.quoted(name)) is not in special_tokens")
                }
                var ids: [Int] = []
                for idField in try entry.field.required("ids").array() {
                    let id = try idField.integer(in: 0 ... Int(Int32.max))
                    guard tokenIDs(id: id) else { throw idField.error("\(id) is not the id of any token") }
                    ids.append(id)
                }
                pieces.append(.special(ids, typeID: typeID))
            } else {
                throw item.error("expected Sequence or SpecialToken")
            }
        }
        return pieces
    }

    /// `["[CLS]", 101]`.
    private func specialPair(_ field: JSONField, tokenIDs: TokenIDs) throws(TokenizerError) -> Int {
        let items = try field.array()
        guard items.count == 2 else { throw field.error("expected [token, id]") }
        _ = try items[0].string()
        let id = try items[1].integer(in: 0 ... Int(Int32.max))
        guard tokenIDs(id: id) else { throw items[1].error("\(id) is not the id of any token") }
        return id
    }

    // MARK: decoder

    private func decoder(_ field: JSONField) throws(TokenizerError) -> Decoder {
        let type = try field.required("type").string()
        switch type {
        case "ByteLevel": return .byteLevel
        case "WordPiece":
            return .wordPiece(prefix: try field.optionalString("prefix") ?? "##",
                              cleanup: try field.optionalBool("cleanup", default: true))
        case "ByteFallback": return .byteFallback
        case "Metaspace":
            let replacement = try field.optionalString("replacement") ?? "\u{2581}"
            guard replacement.unicodeScalars.count == 1, let scalar = replacement.unicodeScalars.first else {
                throw try field.required("replacement").error("must be one character")
            }
            return .metaspace(replacement: scalar, dropsInFirstToken: try prependScheme(field) != .never)
        case "Fuse": return .fuse
        case "Replace":
            return .replace(pattern: try literalPattern(try field.required("pattern")),
                            content: try field.required("content").string())
        case "Strip":
            let content = try field.required("content").string().unicodeScalars
            guard content.count == 1, let scalar = content.first else { throw field.error("content must be one character") }
            return .strip(content: scalar, start: try field.optional("start")?.integer(in: 0 ... 1_000_000) ?? 0,
                          stop: try field.optional("stop")?.integer(in: 0 ... 1_000_000) ?? 0)
        case "Sequence":
            var steps: [Decoder] = []
            for item in try field.required("decoders").array() { steps.append(try decoder(item)) }
            return .sequence(steps)
        default:
            throw try field.required("type").error("decoder \(JSONField.quoted(type)) is not supported")
        }
    }
}
