import Foundation
import TestSupport

enum RealModelsFolder {
    static func miniLM() throws -> URL? { try RealModels.url(RealModels.miniLMFolder) }
}
