import Testing
@testable import BPE

@Suite struct StreamingDecoderTests {
    /// Token by token, the pieces add up to the lossy decode of the whole: random ids of every kind
    /// (whole characters, parts of characters, special tokens), in every encoding.
    @Test(arguments: ["o200k_harmony", "cl100k_base", "r50k_base"])
    func streamEqualsWholeDecode(_ name: String) throws {
        let encoding = try Support.encoding(name)
        var rng = SplitMix(state: 77)
        let texts = ["héllo 👋🏽 世界 مرحبا 👨‍👩‍👧", "🐍🐍🐍", "字字字字", "a\u{301}b", "<|endoftext|>"]
        for round in 0..<400 {
            var ids: [Rank]
            if round % 2 == 0 {
                ids = try encoding.encode(texts[round % texts.count] + texts.randomElement(using: &rng)!, allowedSpecial: .all)
            } else {  // any ids at all, half of them single bytes (lone lead and continuation bytes)
                let byteRanks = encoding.vocabulary.table.byteRanks
                ids = (0..<Int.random(in: 0...12, using: &rng)).map { _ in
                    Bool.random(using: &rng) ? byteRanks[Int.random(in: 0...255, using: &rng)]
                        : Rank.random(in: 0..<Rank(encoding.vocabulary.rankLimit), using: &rng)
                }
                ids = ids.filter { encoding.tokenBytes($0) != nil }
            }
            var stream = StreamingDecoder(encoding: encoding)
            var text = ""
            for id in ids { text += try stream.push(id) }
            text += try stream.finish(.replace)
            #expect(text == (try encoding.decodeLossy(ids)))
        }
    }

    @Test func holdsSplitCharactersAndReportsTheEnd() throws {
        let encoding = try Support.encoding("o200k_base")
        let ids = try encoding.encode("🐍!")
        #expect(ids.count == 3)  // two tokens for the emoji, one for "!"
        var stream = StreamingDecoder(encoding: encoding)
        #expect(try stream.push(ids[0]) == "")
        #expect(stream.isHoldingBytes)
        #expect(try stream.push(ids[1]) == "🐍")
        #expect(try stream.push(ids[2]) == "!")
        var cut = StreamingDecoder(encoding: encoding)
        _ = try cut.push(ids[0])
        #expect(throws: TokenDecodingError.invalidUTF8(byteOffset: 0)) { try cut.finish(.error) }
        #expect(throws: TokenDecodingError.unknownToken(999_999, position: 1)) {
            var s = StreamingDecoder(encoding: encoding)
            _ = try s.push(ids[2])
            _ = try s.push(999_999)
        }
    }

    @Test func specialTokensRenderedOrSkipped() throws {
        let encoding = try Support.encoding("o200k_harmony")
        let ids = try encoding.encode("<|start|>assistant<|message|>Hi<|end|>", allowedSpecial: .all)
        var shown = StreamingDecoder(encoding: encoding)
        var skipped = StreamingDecoder(encoding: encoding, skipSpecialTokens: true)
        #expect(try shown.push(ids) == "<|start|>assistant<|message|>Hi<|end|>")
        #expect(try skipped.push(ids) == "assistantHi")
    }
}
