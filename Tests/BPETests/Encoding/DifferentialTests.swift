import Foundation
import Testing
@testable import BPE

/// Token ids equal Python tiktoken 0.14's (fixtures written by Tools/gen-fixtures).
@Suite struct DifferentialTests {
    @Test(arguments: Support.encodingNames)
    func generatedCorpusMatchesTiktoken(_ name: String) throws {
        let encoding = try Support.encoding(name)
        encoding.warmUp()  // with the backtracking index loaded, the piece caches search some short pieces too
        let cases = try Support.fixture("differential.json")["cases"] as! [[String: Any]]
        #expect(cases.count > 400)
        var mismatches = [String]()
        var bytesCompared = 0
        for testCase in cases {
            let input = [UInt8](Data(base64Encoded: testCase["input"] as! String)!)
            let expected = ((testCase["ids"] as! [String: Any])[name] as! [NSNumber]).map { Rank($0.uint32Value) }
            let actual: [Rank]
            if testCase["mode"] as! String == "text" {
                let text = String(decoding: input, as: UTF8.self)
                actual = try encoding.encode(text, disallowedSpecial: .none)
                #expect(try encoding.encodeOrdinary(text) == actual)
            } else {
                actual = try encoding.encode(bytes: input, disallowedSpecial: .none)
            }
            bytesCompared += input.count
            if actual != expected { mismatches.append(testCase["name"] as! String) }
            #expect(try encoding.decodeBytes(actual) == input, "round trip of \(testCase["name"]!)")
        }
        #expect(mismatches.isEmpty, "\(name): \(mismatches.count) mismatches: \(mismatches.prefix(10))")
        #expect(bytesCompared > 300_000)
    }

    /// Each scalar in the context "a{c}b {c}{c}1 {c}'s x{c}\n", 4096 scalars per chunk; the fixture
    /// holds the count and sha256 of tiktoken's ids per chunk.
    @Test(arguments: Support.encodingNames)
    func everyUnicodeScalarMatchesTiktoken(_ name: String) throws {
        let encoding = try Support.encoding(name)
        let fixture = try Support.fixture("every-scalar.json")
        let chunks = fixture["chunks"] as! [[String: Any]]
        let scalars = (0...0x10FFFF).filter { !(0xD800...0xDFFF).contains($0) }
        #expect(scalars.count == 1_112_064)
        var mismatched = [String]()
        for (index, chunk) in chunks.enumerated() {
            var text = ""
            for value in scalars[(index * 4096)..<min((index + 1) * 4096, scalars.count)] {
                let c = String(Unicode.Scalar(UInt32(value))!)
                text += "a\(c)b \(c)\(c)1 \(c)'s x\(c)\n"
            }
            let ids = try encoding.encodeOrdinary(text)
            let digest = ids.withUnsafeBytes { SHA256.hexDigest($0) }  // UInt32 little-endian on x86_64/arm64
            let expected = (chunk["ids"] as! [String: Any])[name] as! [Any]
            if ids.count != (expected[0] as! NSNumber).intValue || digest != expected[1] as! String {
                mismatched.append(String(format: "U+%04X…U+%04X", chunk["first"] as! Int, chunk["last"] as! Int))
            }
        }
        #expect(chunks.count == 272)
        #expect(mismatched.isEmpty, "\(name): chunks differing from tiktoken: \(mismatched)")
    }
}
