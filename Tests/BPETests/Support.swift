import Foundation
@testable import BPE

/// Shared helpers: encodings by name (loaded once), fixtures, and a tiny vocabulary builder.
enum Support {
    static let encodingNames = ["o200k_base", "o200k_harmony", "cl100k_base", "p50k_base", "r50k_base"]

    static func encoding(_ name: String) throws -> Encoding {
        try Encoding.named(name)
    }

    static func fixture(_ name: String) throws -> [String: Any] {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
            throw FixtureMissing(name: name)
        }
        let data = try Data(contentsOf: url)
        return try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    struct FixtureMissing: Error { let name: String }

    /// A `.tiktoken` text for all 256 single bytes plus `extra` tokens (ranks from 256 on).
    static func tiktokenText(extra: [String], skipBytes: Set<UInt8> = []) -> String {
        var lines = [String]()
        var rank = 0
        for byte in 0...255 {
            if !skipBytes.contains(UInt8(byte)) { lines.append(Data([UInt8(byte)]).base64EncodedString() + " \(rank)") }
            rank += 1
        }
        for token in extra {
            lines.append(Data(token.utf8).base64EncodedString() + " \(rank)")
            rank += 1
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func vocabulary(extra: [String]) throws -> Vocabulary {
        try Vocabulary(tiktoken: Array(tiktokenText(extra: extra).utf8), source: "test")
    }

    /// A vocabulary of all 256 single bytes plus `extra` byte strings (which need not be UTF-8:
    /// parts of characters), ranks from 256 on in the order given.
    static func vocabulary(extraBytes extra: [[UInt8]]) throws -> Vocabulary {
        var lines = (0...255).map { Data([UInt8($0)]).base64EncodedString() + " \($0)" }
        for (i, token) in extra.enumerated() { lines.append(Data(token).base64EncodedString() + " \(256 + i)") }
        return try Vocabulary(tiktoken: Array((lines.joined(separator: "\n") + "\n").utf8), source: "test")
    }

    /// The readable reference merge (see `Vocabulary.referenceMerge`), the test oracle.
    static func referenceMerge(_ piece: [UInt8], _ vocabulary: Vocabulary) -> [Rank] {
        vocabulary.referenceMerge(piece)
    }
}

/// A small deterministic generator (SplitMix64), so random tests reproduce.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
