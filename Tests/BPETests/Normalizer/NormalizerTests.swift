import Foundation
import Testing
@testable import BPE

/// NFC equals Python's `unicodedata.normalize("NFC", …)` (fixture from Tools/gen-open-model-fixtures);
/// the other normalisers' worked examples (Hugging Face's ids on every scalar: TokenizerJSONVariantTests).
@Suite struct NormalizerTests {
    @Test func workedExamples() {
        #expect(Normalizer.nfc.normalize("e\u{301}") == "é")
        #expect(Normalizer.nfc.normalize("\u{1100}\u{1161}\u{11A8}") == "각")
        // Marks are ordered by combining class before composing: dot below (220) then circumflex (230).
        #expect(Normalizer.nfc.normalize("a\u{302}\u{323}").unicodeScalars.map(\.value) == [0x1EAD])
        // A composition exclusion stays decomposed; a singleton is replaced.
        #expect(Normalizer.nfc.normalize("\u{958}").unicodeScalars.map(\.value) == [0x915, 0x93C])
        #expect(Normalizer.nfc.normalize("\u{212B}") == "\u{C5}")
        #expect(Normalizer.nfc.normalize("plain ASCII") == "plain ASCII")
        #expect(Normalizer.unicodeVersion == "14.0.0")
    }

    @Test func otherNormalisersWorkedExamples() throws {
        #expect(Normalizer.nfkc.normalize("ﬁ ① ｶﾞ e\u{301}") == "fi 1 ガ é")
        #expect(Normalizer.nfkc.normalize("\u{32FF}") == "\u{32FF}")  // newer than Hugging Face's tables: left alone
        #expect(Normalizer.lowercase.normalize("ΣΑΣ İ ÀB") == "σασ i\u{307} àb")  // no final sigma, as Rust's char::to_lowercase
        let replace = Normalizer.replace(try .init(.regex(" {2,}"), with: " "))
        #expect(Normalizer.sequence([replace, .prepend("\u{2581}")]).normalize("a   b") == "\u{2581}a b")
        #expect(Normalizer.prepend("x").normalize("") == "")
        #expect(Normalizer.sequence([.nfkc, .lowercase]).isIdempotent && !Normalizer.prepend("x").isIdempotent)
    }

    /// Hugging Face's NFC and NFKC have Unicode 9.0's combining classes: a mark assigned since
    /// (U+089A, class 220 in Unicode 14) stays before one of a lower class (U+1039, class 9), which
    /// Python's NFC puts first; marks both know are ordered alike.
    @Test func huggingFaceNormalFormsLeaveMarksTheirTablesLackAlone() {
        func values(_ text: String) -> [UInt32] { text.unicodeScalars.map(\.value) }
        #expect(values(Normalizer.huggingFaceNFC.normalize("9\u{89A}\u{1039}")) == [0x39, 0x89A, 0x1039])
        #expect(values(Normalizer.nfkc.normalize("9\u{89A}\u{1039}")) == [0x39, 0x89A, 0x1039])
        #expect(values(Normalizer.nfc.normalize("9\u{89A}\u{1039}")) == [0x39, 0x1039, 0x89A])
        #expect(values(Normalizer.huggingFaceNFC.normalize("a\u{302}\u{323}")) == [0x1EAD])
        #expect(values(Normalizer.huggingFaceNFC.normalize("9\u{316}\u{1039}")) == [0x39, 0x1039, 0x316])
        #expect(NormalizationTables.huggingFaceUnknownMarks.count == 64)  // 98 marks in 32 runs
    }

    @Test func alreadyNormalTextIsOnlyScanned() {
        var text = "Größe 各 한국어 ﷺ"
        #expect(text.withUTF8 { Normalizer.nfc.normalize(utf8: $0) } == nil)
        text = "Gro\u{308}ße"
        #expect(text.withUTF8 { Normalizer.nfc.normalize(utf8: $0) } != nil)
        // A mark whose quick check is Maybe but that nothing composes with: already NFC, so nil.
        text = "x\u{301} \u{915}\u{93C}"
        #expect(text.withUTF8 { Normalizer.nfc.normalize(utf8: $0) } == nil)
        // Such marks after other marks, and the nukta in running Hindi text: still nil.
        text = "\u{932}\u{921}\u{93C}\u{915}\u{93E} x\u{323}\u{301} q\u{30C}\u{301}"
        #expect(text.withUTF8 { Normalizer.nfc.normalize(utf8: $0) } == nil)
        // But where the starter composes with the mark, or decomposes and its own mark moves
        // behind the new one (Å then a dot below: the dot joins the A, the ring follows), not.
        #expect(Normalizer.nfc.normalize("\u{928}\u{93C}").unicodeScalars.map(\.value) == [0x929])
        #expect(Normalizer.nfc.normalize("\u{C5}\u{323}").unicodeScalars.map(\.value) == [0x1EA0, 0x30A])
        #expect(Normalizer.nfc.normalize("a\u{323}\u{302}\u{301}").unicodeScalars.map(\.value) == [0x1EAD, 0x301])
    }

    /// The quick check skips ASCII eight bytes at a time: a mark after a run of any length still
    /// composes with the run's last letter, and a vowel sign after one passes (nothing composes).
    @Test func marksAfterASCIIRunsOfEveryLength() {
        for length in 0...24 {
            let run = String(repeating: "x", count: length)
            #expect(Normalizer.nfc.normalize(run + "e\u{301}!") == run + "é!")
            #expect(Normalizer.nfc.normalize(run + "e\u{301}") == run + "é")
            var text = run + "\u{9BE}"  // Bengali vowel sign AA after ASCII: nothing to compose
            #expect(text.withUTF8 { Normalizer.nfc.normalize(utf8: $0) } == nil)
            text = run + "\u{9C7}\u{9BE}" + run  // E + AA: composes to O (U+09CB)
            #expect(Normalizer.nfc.normalize(text) == run + "\u{9CB}" + run)
        }
    }

    @Test func everyScalarInContextMatchesPython() throws {
        let nfc = try Support.fixture("open-models.json")["nfc"] as! [String: Any]
        let chunks = nfc["chunks"] as! [String]
        let scalars = (0...0x10FFFF).filter { !(0xD800...0xDFFF).contains($0) }
        var mismatched = [String]()
        for (index, expected) in chunks.enumerated() {
            let slice = scalars[(index * 4096)..<min((index + 1) * 4096, scalars.count)]
            var text = ""
            for value in slice {
                let c = String(Unicode.Scalar(UInt32(value))!)
                text += "\(c)|a\(c)\u{301}|\(c)\u{323}\u{302}|e\u{301}\(c)|\u{1100}\(c)\u{11A8}|\(c)\u{345}\u{313}\(c)|\u{B47}\(c)\u{B3E}\n"
            }
            let normalized = Normalizer.nfc.normalize(text)
            if SHA256.hexDigest(Array(normalized.utf8)) != expected { mismatched.append(String(format: "U+%04X…", slice.first!)) }
            #expect(Normalizer.nfc.normalize(normalized) == normalized)
        }
        #expect(chunks.count == 272)
        #expect(mismatched.isEmpty, "chunks differing from Python: \(mismatched)")
    }

    @Test func randomMarkSequencesMatchPython() throws {
        let nfc = try Support.fixture("open-models.json")["nfc"] as! [String: Any]
        let cases = nfc["random"] as! [[String]]
        #expect(cases.count == 3000)
        var failures = [String]()
        for pair in cases {
            let input = String(decoding: Data(base64Encoded: pair[0])!, as: UTF8.self)
            let expected = String(decoding: Data(base64Encoded: pair[1])!, as: UTF8.self)
            let actual = Normalizer.nfc.normalize(input)
            if Array(actual.utf8) != Array(expected.utf8) { failures.append(pair[0]) }
        }
        #expect(failures.isEmpty, "\(failures.count) differ, first: \(failures.prefix(5))")
    }
}
