import Foundation
import Testing
@testable import BPE

/// The bad inputs of the robustness table (Sources/BPE/BPE.docc/BadInputs.md) that no other suite
/// pins: NUL bytes, every kind of invalid UTF-8, a 100 MB line, out-of-range ids, unknown names.
@Suite struct BadInputTests {
    @Test func nulBytesAreOrdinaryText() throws {
        let text = "a\u{0}b\u{0}\u{0} \u{0}\n"
        // Python tiktoken 0.14: encode_ordinary("a\x00b\x00\x00 \x00\n")
        #expect(try Support.encoding("o200k_base").encodeOrdinary(text) == [64, 188, 65, 156344, 220, 188, 198])
        #expect(try Support.encoding("cl100k_base").encodeOrdinary(text) == [64, 188, 65, 188, 188, 220, 188, 198])
        #expect(try Support.encoding("o200k_base").decode([64, 188, 65, 156344, 220, 188, 198]) == text)
    }

    /// Before invalid bytes, the whole last piece (with the white-space tokens before it, when it
    /// starts with one) is merged again with them, as tiktoken's `_encode_bytes` does: here the
    /// last piece `\tingñ` begins with a tab, so the tab before it joins, and `\t\t` becomes one
    /// token. Counting only the piece's last token would give 197, 197.
    @Test func lastPieceBeforeInvalidBytesIsMergedAgain() throws {
        let o200k = try Support.encoding("o200k_base")
        // Python tiktoken 0.14: _encode_bytes(...) for each input.
        let cases: [([UInt8], [Rank])] = [
            (Array("\t\ting한ñ".utf8) + [0xC3], [335, 289, 3748, 1871, 127]),
            (Array("\t\tññ".utf8) + [0xE6, 0x97], [335, 1871, 1871, 1024]),
            (Array("\nd한3 \tè한çe".utf8) + [0xFF], [198, 67, 3748, 18, 14593, 957, 3748, 42100, 187]),
        ]
        for (bytes, expected) in cases {
            #expect(try o200k.encode(bytes: bytes) == expected, "\(bytes)")
            #expect(try o200k.decodeBytes(expected) == bytes)
        }
    }

    @Test func everyKindOfInvalidUTF8RoundTrips() throws {
        let o200k = try Support.encoding("o200k_base")
        // Python tiktoken 0.14: _encode_bytes(b"caf\xc3 \xed\xa0\x80\x00\xff")
        let mixed: [UInt8] = Array("caf".utf8) + [0xC3, 0x20, 0xED, 0xA0, 0x80, 0x00, 0xFF]
        #expect(try o200k.encode(bytes: mixed) == [176980, 127, 2803, 62313, 188, 187])
        let cases: [[UInt8]] = [
            [0xC0, 0xAF],              // overlong "/"
            [0xED, 0xA0, 0x80],        // a UTF-16 surrogate
            [0xE6, 0x97],              // truncated 日
            [0x80, 0x80],              // lone continuation bytes
            [0xF5, 0xFE, 0xFF],        // bytes that never occur in UTF-8
            [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
            Array("ok 👍".utf8.dropLast()),
        ]
        for bytes in cases {
            for name in ["o200k_base", "cl100k_base"] {
                let encoding = try Support.encoding(name)
                let ids = try encoding.encode(bytes: bytes)
                #expect(try encoding.decodeBytes(ids) == bytes, "\(bytes) under \(name)")
                #expect(throws: TokenDecodingError.invalidUTF8(byteOffset: UTF8Validation.validPrefixLength(bytes))) { try encoding.decode(ids) }
                #expect(try encoding.decodeLossy(ids) == String(decoding: bytes, as: UTF8.self))
            }
        }
    }

    /// 100 MB without a newline: no place to cut for threads, so it is one range; counting the
    /// file (chunked, bounded memory) gives what encoding the whole string gives.
    @Test func hundredMegabyteSingleLine() throws {
        let encoding = try Support.encoding("o200k_base")
        let unit = "The quick brown fox jumps over 13 lazy dogs; 東京 ☕️ naïve café, x=42*y. "
        var line = String(repeating: unit, count: 100_000_000 / unit.utf8.count)
        line += "end"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("line-\(UUID().uuidString).txt").path
        FileManager.default.createFile(atPath: path, contents: Data(line.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let count = try encoding.countTokens(file: path, threads: 2)
        #expect(count.tokens == (try encoding.countTokens(line)))
        #expect(count.bytes == line.utf8.count && count.tokens > 20_000_000)
    }

    @Test func idsOutOfRangeAndUnknownNames() throws {
        let o200k = try Support.encoding("o200k_base")
        #expect(throws: TokenDecodingError.unknownToken(199_998, position: 1)) { try o200k.decodeBytes([1, 199_998]) }
        #expect(throws: TokenDecodingError.unknownToken(Rank.max, position: 0)) { try o200k.decode([Rank.max]) }
        #expect(o200k.tokenBytes(300_000) == nil)
        #expect(throws: TokenIDText.SyntaxError(text: "-3", position: 2, byteOffset: 4)) { try TokenIDText.parse(Array("1 2 -3".utf8)) }
        #expect(throws: TokenIDText.SyntaxError(text: "4294967296", position: 0, byteOffset: 0)) { try TokenIDText.parse(Array("4294967296".utf8)) }
        #expect(try TokenIDText.parse(Array("[9906, 11,\n1917]".utf8)) == [9906, 11, 1917])
        do {
            _ = try Encoding.named("gpt5_base")
            Issue.record("an unknown name loaded")
        } catch {
            #expect("\(error)".contains("unknown encoding 'gpt5_base'") && "\(error)".contains("o200k_base"))
        }
    }
}
