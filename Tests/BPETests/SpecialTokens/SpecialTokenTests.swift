import Testing
@testable import BPE

/// tiktoken's special-token semantics: disallowed by default, allowed on request, plain text when
/// neither.
@Suite struct SpecialTokenTests {
    @Test func disallowedByDefaultNamesTokenAndOffset() throws {
        let encoding = try Support.encoding("o200k_harmony")
        #expect(throws: TokenEncodingError.disallowedSpecialToken("<|start|>", byteOffset: 6)) {
            try encoding.encode("héllo<|start|>x<|end|>")
        }
        #expect(throws: TokenEncodingError.disallowedSpecialToken("<|start|>", byteOffset: 0)) {
            try encoding.encode(bytes: Array("<|start|>\u{FF}".utf8) + [0xFF])
        }
    }

    @Test func allowedBecomesControlToken() throws {
        let encoding = try Support.encoding("o200k_harmony")
        let ids = try encoding.encode("<|start|>user<|message|>hi<|end|>", allowedSpecial: .all)
        #expect(ids.first == 200_006)
        #expect(ids.contains(200_008))
        #expect(ids.last == 200_007)
        // Only the allowed one becomes a control token; the other is still refused.
        #expect(throws: TokenEncodingError.disallowedSpecialToken("<|end|>", byteOffset: 12)) {
            try encoding.encode("<|start|>abc<|end|>", allowedSpecial: ["<|start|>"])
        }
    }

    @Test func neitherAllowedNorDisallowedIsPlainText() throws {
        let encoding = try Support.encoding("cl100k_base")
        let text = "a<|endoftext|>b<|fim_prefix|>"
        let ids = try encoding.encode(text, allowedSpecial: ["<|fim_prefix|>"], disallowedSpecial: .none)
        #expect(ids.last == 100_258)
        #expect(!ids.contains(100_257))
        #expect(try encoding.encode(text, disallowedSpecial: .none) == encoding.encodeOrdinary(text))
        #expect(try !encoding.encodeOrdinary("<|endoftext|>").contains(100_257))
    }

    @Test func specialTokenSplitsPreTokenization() throws {
        // The pattern runs on each side separately, as in tiktoken: "  " before the token stays whole.
        let encoding = try Support.encoding("o200k_base")
        let ids = try encoding.encode("x  <|endoftext|>  y", allowedSpecial: .all)
        let left = try encoding.encodeOrdinary("x  "), right = try encoding.encodeOrdinary("  y")
        #expect(ids == left + [199_999] + right)
    }

    @Test func harmonyTokenTable() throws {
        let encoding = try Support.encoding("o200k_harmony")
        let expected: [String: Rank] = ["<|startoftext|>": 199_998, "<|endoftext|>": 199_999, "<|return|>": 200_002,
                                        "<|constrain|>": 200_003, "<|channel|>": 200_005, "<|start|>": 200_006,
                                        "<|end|>": 200_007, "<|message|>": 200_008, "<|call|>": 200_012,
                                        "<|endofprompt|>": 200_018, "<|reserved_201087|>": 201_087]
        for (text, id) in expected { #expect(encoding.specialTokens[text] == id) }
        #expect(encoding.specialTokens.count == 1_091)
        #expect(encoding.tokenBytes(200_018) == Array("<|endofprompt|>".utf8))
    }
}
