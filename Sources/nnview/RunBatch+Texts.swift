import Architectures
import ModelFiles

extension RunBatch {
    /// The texts encoded by the model's tokenizer.
    static func fromTexts(_ texts: [String], loaded: LoadedTransformer) throws -> RunBatch {
        throw ModelFileError("tokenizers are not wired into this build yet: give the ids with --ids", file: loaded.tokenizerSource)
    }
}
