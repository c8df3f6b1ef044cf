import Testing
@testable import BPE

@Suite struct RoundTripTests {
    /// decodeBytes(encode(bytes:)) == bytes for random byte strings, invalid UTF-8 included.
    @Test(arguments: Support.encodingNames)
    func randomBytesRoundTrip(_ name: String) throws {
        let encoding = try Support.encoding(name)
        var rng = SplitMix(state: 42)
        for round in 0..<600 {
            let count = round < 50 ? round : Int.random(in: 0...400, using: &rng)
            var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if round % 3 == 0 {  // mostly text with a few bad bytes
                bytes = Array("héllo wörld 你好 👍🏽 \t\n 123".utf8).shuffled(using: &rng) + bytes.prefix(3)
            }
            let ids = try encoding.encode(bytes: bytes, disallowedSpecial: .none)
            #expect(try encoding.decodeBytes(ids) == bytes)
        }
    }

    @Test func strictAndLossyDecode() throws {
        let encoding = try Support.encoding("o200k_base")
        let ids = try encoding.encode("🐍")
        #expect(ids.count == 2)  // an emoji split across two tokens (three in cl100k_base)
        #expect(throws: TokenDecodingError.invalidUTF8(byteOffset: 0)) { try encoding.decode([ids[0]]) }
        #expect(try encoding.decodeLossy([ids[0]]) == "\u{FFFD}")
        #expect(throws: TokenDecodingError.unknownToken(250_000, position: 1)) { try encoding.decodeBytes([ids[0], 250_000]) }
        #expect(encoding.tokenBytes(ids[0]) != nil)
        #expect(encoding.tokenBytes(199_999) == Array("<|endoftext|>".utf8))
        #expect(encoding.tokenBytes(199_998) == nil)
    }

    @Test func vocabularySizes() throws {
        let expected = ["o200k_base": 200_019, "o200k_harmony": 201_088, "cl100k_base": 100_277,
                        "p50k_base": 50_281, "r50k_base": 50_257]
        for (name, size) in expected { #expect(try Support.encoding(name).vocabularySize == size) }
        #expect(try Support.encoding("p50k_base").vocabulary.count == 50_280)
    }
}
