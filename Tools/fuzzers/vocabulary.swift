// The `.tiktoken` reader on arbitrary bytes: it loads or throws, and a loaded vocabulary is
// consistent (every token's bytes find its rank) and encodes and decodes losslessly.
@testable import BPE

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = input(data, size)
    guard let vocabulary = try? Vocabulary(tiktoken: bytes, source: "fuzz") else { return 0 }
    require(vocabulary.count >= 256, "a vocabulary without every byte loaded")
    var seen = 0
    for rank in 0..<Rank(vocabulary.rankLimit) {
        guard let token = vocabulary.bytes(of: rank) else { continue }
        seen += 1
        require(!token.isEmpty && vocabulary.rank(of: token) == rank, "token \(rank) does not map back")
    }
    require(seen == vocabulary.count, "count \(vocabulary.count) but \(seen) tokens")
    let encoding = try! Encoding(name: "fuzz", vocabulary: vocabulary, pattern: Pattern.o200k, specialTokens: [:])
    let ids = try! encoding.encode(bytes: bytes, disallowedSpecial: .none)
    require(try! encoding.decodeBytes(ids) == bytes, "round trip through a fuzzed vocabulary failed")
    return 0
}
