import ArgumentParser
import BPE

extension Bpe {
    struct Decode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the exact bytes that whitespace-separated token ids stand for."
        )

        @OptionGroup var options: EncodingOptions

        @Argument(help: "File of ids; standard input when omitted or -.")
        var file: String?

        func run() throws {
            let encoding = try options.load()
            let ids = try TokenIDs.parse(InputFile.read(file))
            Output.write(try encoding.decodeBytes(ids))
        }
    }
}

/// Parses whitespace-separated decimal token ids.
enum TokenIDs {
    struct BadID: Error, CustomStringConvertible {
        let text: String
        let position: Int
        var description: String { "'\(text)' at position \(position) is not a token id (a decimal number below 2^32)" }
    }

    static func parse(_ bytes: [UInt8]) throws -> [Rank] {
        var ids = [Rank]()
        var i = 0
        while i < bytes.count {
            while i < bytes.count, [0x20, 0x0A, 0x09, 0x0D, 0x0C, 0x0B, 0x2C].contains(bytes[i]) { i += 1 }
            guard i < bytes.count else { break }
            let start = i
            while i < bytes.count, ![0x20, 0x0A, 0x09, 0x0D, 0x0C, 0x0B, 0x2C].contains(bytes[i]) { i += 1 }
            let word = bytes[start..<i]
            var value: UInt64 = 0
            var valid = !word.isEmpty && word.count <= 10
            for b in word where valid {
                if b < 0x30 || b > 0x39 { valid = false } else { value = value * 10 + UInt64(b - 0x30) }
            }
            guard valid, value <= UInt64(Rank.max) else {
                throw BadID(text: String(decoding: word.prefix(40), as: UTF8.self), position: ids.count)
            }
            ids.append(Rank(value))
        }
        return ids
    }
}
