import Foundation
import Testing
@testable import Tokenizers
import TestSupport

/// The test target's fixture folders (copied from the shared fixtures; tests never read /work/shared).
enum Fixtures {
    static func url(_ relative: String) throws -> URL {
        try #require(Bundle.module.resourceURL?.appendingPathComponent("Fixtures").appendingPathComponent(relative))
    }

    /// A temporary folder holding copies of `files` from fixture folder `folder`, for loading a subset of its files.
    static func folder(copying files: [String], from folder: String) throws -> URL {
        let target = try ScratchSpace.folder("tokenizers")
        for file in files {
            try FileManager.default.copyItem(at: try url("\(folder)/\(file)"), to: target.appendingPathComponent(file))
        }
        return target
    }

    /// A temporary file with `contents`.
    static func file(named name: String, contents: Data) throws -> URL {
        let folder = try ScratchSpace.folder("tokenizers")
        let url = folder.appendingPathComponent(name)
        try contents.write(to: url)
        return url
    }
}

/// What transformers gave for one batch of texts (expect.json of the fixtures).
struct BatchExpectation: Decodable {
    let texts: [String]
    let input_ids: [[Int]]
    let attention_mask: [[Int]]?
    let tokens: [[String]]

    static func load(_ relative: String) throws -> BatchExpectation {
        try JSONDecoder().decode(BatchExpectation.self, from: Data(contentsOf: try Fixtures.url(relative)))
    }
}
