import Foundation
import Testing
@testable import BPE

/// The inference-facing additions: counting against a limit, async batches with cancellation,
/// loading from bytes with the pin checked, and budget arguments that throw instead of trapping.
@Suite struct InferenceAPITests {
    @Test(arguments: ["o200k_base", "cl100k_base"])
    func countWithLimitAgreesWithTheFullCount(_ name: String) throws {
        let encoding = try Support.encoding(name)
        var rng = SplitMix(state: 77)
        for _ in 0..<200 {
            let text = ParallelTests.tricky(seed: rng.next(), length: Int(rng.next() % 300))
            let full = try encoding.countTokens(text)
            for limit in [0, 1, full - 1, full, full + 1, full * 2] where limit >= 0 {
                #expect(try encoding.countTokens(text, limit: limit) == (full <= limit ? full : nil), "\(text.debugDescription) limit \(limit)")
            }
        }
        #expect(try encoding.countTokens("", limit: 0) == 0)
        #expect(try encoding.countTokens("x", limit: -1) == nil)
    }

    @Test func asyncBatchesEqualSequentialAndCancel() async throws {
        let encoding = try Support.encoding("o200k_base")
        let texts = (0..<301).map { ParallelTests.tricky(seed: 31_000 + UInt64($0), length: Int($0 % 97)) }
        #expect(try await encoding.encodeBatch(texts) == (try texts.map { try encoding.encodeOrdinary($0) }))
        #expect(try await encoding.countTokensBatch(texts) == (try texts.map { try encoding.countTokens($0) }))
        #expect(try await encoding.encodeBatch([]).isEmpty)
        let many = Array(repeating: String(repeating: "cancel me please ", count: 2000), count: 400)
        let task = Task { try await encoding.encodeBatch(many) }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }

    @Test func loadingFromBytesChecksThePin() throws {
        let path = try VocabularyLocator.locate("cl100k_base.tiktoken")
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let fromBytes = try Encoding.named("cl100k_base", tiktokenData: bytes)
        let fromFile = try Encoding.named("cl100k_base", vocabularyFile: path)
        #expect(try fromBytes.encode("Hello, world!") == [9906, 11, 1917, 0])
        #expect(try fromFile.encode("Hello, world!") == [9906, 11, 1917, 0])
        do {
            _ = try Encoding.named("o200k_base", tiktokenData: bytes)  // cl100k's bytes under o200k's pin
            Issue.record("wrong vocabulary accepted")
        } catch let error as VocabularyError {
            guard case .sha256Mismatch = error.problem else { Issue.record("\(error)"); return }
        }
    }

    @Test func badBudgetsThrow() throws {
        let encoding = try Support.encoding("o200k_base")
        #expect(throws: TokenEncodingError.self) { try encoding.chunks("text", maxTokens: 0) }
        #expect(throws: TokenEncodingError.self) { try encoding.chunks("text", maxTokens: 4, overlap: 4) }
        #expect(throws: TokenEncodingError.self) { try encoding.chunks("text", maxTokens: 4, overlap: -1) }
        #expect(try encoding.chunks("text", maxTokens: 4, overlap: 3) == [0..<4])
    }
}
