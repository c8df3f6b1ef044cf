// Special-token splitting on o200k_harmony: special ids appear exactly where allowed special text is,
// never when not allowed, and disallowed special text is always refused.
@testable import BPE

let harmony = try! Encoding.named("o200k_harmony")
let specials = harmony.specialTokens.keys.map { Array($0.utf8) }

/// Leftmost, non-overlapping occurrences of special-token text (no special text contains `|>`
/// before its end, so occurrences never overlap).
func specialCount(_ bytes: [UInt8]) -> Int {
    var count = 0, i = 0
    while i < bytes.count {
        if bytes[i] == 0x3C, let match = specials.first(where: { bytes[i...].starts(with: $0) }) {
            count += 1
            i += match.count
        } else {
            i += 1
        }
    }
    return count
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = input(data, size)
    let expected = specialCount(bytes)
    let isSpecial = { (id: Rank) in Int(id) >= harmony.vocabulary.rankLimit }

    // Arbitrary bytes, refused when they hold special text; as text otherwise.
    do {
        let ids = try harmony.encode(bytes: bytes)
        require(expected == 0, "encode(bytes:) accepted special-token text")
        require(!ids.contains(where: isSpecial), "encode(bytes:) produced a special id")
    } catch {
        require(expected > 0, "encode(bytes:) refused text without special tokens: \(error)")
    }
    let plain = try! harmony.encode(bytes: bytes, disallowedSpecial: .none)
    require(!plain.contains(where: isSpecial), "encode(bytes:, disallowedSpecial: .none) produced a special id")

    guard let text = String(validating: bytes, as: UTF8.self) else { return 0 }
    let allowed = try! harmony.encode(text, allowedSpecial: .all)
    require(allowed.filter(isSpecial).count == expected, "allowed special ids do not match the special text")
    // Several special texts may share an id (o200k_harmony's <|reserved_200018|> is <|endofprompt|>),
    // so the decoded text is the canonical spelling: it encodes back to the same ids.
    let decoded = try! harmony.decode(allowed)
    require(try! harmony.encode(decoded, allowedSpecial: .all) == allowed, "encode(decode(ids)) differs")
    let ordinary = try! harmony.encode(text, allowedSpecial: .none, disallowedSpecial: .none)
    require(ordinary == plain && ordinary == (try! harmony.encodeOrdinary(text)), "ordinary encodings differ")
    do {
        _ = try harmony.encode(text)
        require(expected == 0, "encode accepted special-token text by default")
    } catch {
        require(expected > 0, "encode refused text without special tokens")
    }
    return 0
}
