import Testing
@testable import Tokenizers

private struct Letters: Tokenizer {
    func encode(_ text: String) throws -> [Int] { text.unicodeScalars.map { Int($0.value) } }
    func token(forID id: Int) -> String? { Unicode.Scalar(id).map { String($0) } }
}

@Test func aTokenizerRoundTripsThroughItsVocabulary() throws {
    let tokenizer = Letters()
    #expect(try tokenizer.encode("ab").compactMap(tokenizer.token(forID:)) == ["a", "b"])
}
