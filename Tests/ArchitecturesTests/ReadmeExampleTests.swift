import NNCore
import Testing
import Architectures

/// The README's Swift example of the Architectures library, as written there (on the GPT-2 fixture).
@Test func readmeExampleRuns() throws {
    let loaded = try TransformerLoader.load(path: ArchitectureFixtures.path("gpt2"))
    let batch = try loaded.tokenizer().encodeBatch(["The quick brown fox"])
    let ids = try Tensor(batch.ids.flatMap { $0.map(Float.init) }, shape: [1, batch.ids[0].count])
    let run = try loaded.run(inputIDs: ids, attentionMask: nil)
    try loaded.loss(logits: run.logits!, labels: ids).backward()
    #expect(run.logits?.shape == [1, 14, 600])
    let wte = try #require(loaded.model.module(at: "transformer.wte")).parameter("weight")
    #expect(wte.gradientContributions.map(\.site).sorted() == ["lm_head", "transformer.wte"])
}
