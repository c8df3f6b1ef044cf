import Foundation
import Testing
@testable import BPE

@Suite struct OffsetsTests {
    /// Every token's bytes are exactly its range of the input; ranges tile the input; the String and
    /// UTF-16 ranges hold the token's text (whole scalars around a split one).
    @Test(arguments: ["o200k_harmony", "cl100k_base", "r50k_base"])
    func offsetsMapBackToTheInput(_ name: String) throws {
        let encoding = try Support.encoding(name)
        for seed in 0..<200 {
            let text = ParallelTests.tricky(seed: 40_000 + UInt64(seed), length: 12)
            let spans = try encoding.encodeWithOffsets(text, allowedSpecial: .all)
            let utf8 = Array(text.utf8)
            #expect(spans.map(\.id) == (try encoding.encode(text, allowedSpecial: .all)))
            #expect(spans.first?.utf8.lowerBound ?? 0 == 0 && spans.last?.utf8.upperBound ?? 0 == utf8.count)
            for (a, b) in zip(spans, spans.dropFirst()) { #expect(a.utf8.upperBound == b.utf8.lowerBound) }
            for span in spans {
                #expect(encoding.tokenBytes(span.id) == Array(utf8[span.utf8]))
                let range = span.range(in: text)
                let piece = String(text[range])
                #expect(piece.utf8.count >= span.utf8.count)
                let utf16 = span.utf16Range(in: text)
                #expect((text as NSString).substring(with: NSRange(location: utf16.lowerBound, length: utf16.count)) == piece)
                if String(validating: encoding.tokenBytes(span.id)!, as: UTF8.self) != nil {
                    #expect(Array(piece.utf8) == encoding.tokenBytes(span.id))  // whole characters map exactly
                }
            }
        }
    }

    /// Decoding with offsets gives the text and the same spans as encoding with offsets.
    @Test(arguments: ["o200k_harmony", "cl100k_base"])
    func decodeWithOffsetsMirrorsEncode(_ name: String) throws {
        let encoding = try Support.encoding(name)
        for seed in 0..<200 {
            let text = ParallelTests.tricky(seed: 41_000 + UInt64(seed), length: 20)
            let spans = try encoding.encodeWithOffsets(text, allowedSpecial: .all)
            let decoded = try encoding.decodeWithOffsets(spans.map(\.id))
            #expect(decoded.text == text)
            #expect(decoded.spans == spans)
        }
        let emoji = try encoding.encode("🐍")
        #expect(throws: TokenDecodingError.invalidUTF8(byteOffset: 0)) { try encoding.decodeWithOffsets(emoji.dropLast()) }
        #expect(throws: TokenDecodingError.unknownToken(Rank.max, position: 1)) { try encoding.decodeWithOffsets([emoji[0], Rank.max]) }
    }
}
