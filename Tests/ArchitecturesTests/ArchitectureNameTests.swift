import Testing
@testable import Architectures

@Test func architectureNamesAreTransformersClassNames() {
    #expect(ArchitectureName(rawValue: "GPT2LMHeadModel") == .gpt2LMHeadModel)
}
