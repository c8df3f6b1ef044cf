// The `.tiktoken` reader on arbitrary bytes: it loads or throws, and a loaded vocabulary is
// consistent (every token's bytes find its rank) and encodes and decodes losslessly, or, for input
// with a byte the vocabulary has no token for (tiktoken's loader allows that), throws noTokenForByte.
@testable import BPE

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = input(data, size)
    guard let vocabulary = try? Vocabulary(tiktoken: bytes, source: "fuzz") else { return 0 }
    let missing = vocabulary.missingBytes
    require(missing.allSatisfy { vocabulary.rank(of: [$0]) == nil }, "a missing byte has a token")
    require((0...255).allSatisfy { missing.contains(UInt8($0)) || vocabulary.rank(of: [UInt8($0)]) != nil }, "a byte is neither")
    var seen = 0
    for rank in 0..<Rank(vocabulary.rankLimit) {
        guard let token = vocabulary.bytes(of: rank) else { continue }
        seen += 1
        require(!token.isEmpty && vocabulary.rank(of: token) == rank, "token \(rank) does not map back")
    }
    require(seen == vocabulary.count, "count \(vocabulary.count) but \(seen) tokens")
    let encoding = try! Encoding(name: "fuzz", vocabulary: vocabulary, pattern: Pattern.o200k, specialTokens: [:])
    do {
        let ids = try encoding.encode(bytes: bytes, disallowedSpecial: .none)
        require(!bytes.contains(where: missing.contains), "a byte without a token was encoded")
        require(try! encoding.decodeBytes(ids) == bytes, "round trip through a fuzzed vocabulary failed")
    } catch let TokenEncodingError.noTokenForByte(byte) {
        require(missing.contains(byte) && bytes.contains(byte), "noTokenForByte for a byte that has a token")
    } catch {
        require(false, "unexpected error \(error)")
    }
    return 0
}
