// The pre-tokenizer on arbitrary text: pieces are non-empty, in order and cover the text, and each
// hand-written scanner splits exactly as PCRE2 does with the same pattern.
@testable import BPE

let patterns = [Pattern.o200k, Pattern.cl100k, Pattern.r50k, Pattern.llama3, Pattern.qwen, Pattern.qwen3_5, Pattern.tekken]
let scanners = patterns.map { try! PreTokenizer(pattern: $0) }
let references = patterns.map { try! PreTokenizer(pattern: $0, engine: .pcre2) }
/// A custom pattern (PCRE2 only) that does not match every byte: skipped bytes are allowed there.
let custom = try! PreTokenizer(pattern: #"\p{L}+|\p{N}{1,2}|[^\s\p{L}\p{N}]+"#)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: input(data, size), as: UTF8.self)
    let count = text.utf8.count
    for (scanner, reference) in zip(scanners, references) {
        let pieces = try! scanner.pieces(text)
        var end = 0
        for piece in pieces {
            require(piece.lowerBound == end && !piece.isEmpty, "pieces are not contiguous at \(end): \(piece)")
            end = piece.upperBound
        }
        require(end == count, "pieces end at \(end) of \(count)")
        require(pieces == (try! reference.pieces(text)), "scanner and PCRE2 split differently: \(reference.pattern)")
    }
    var end = 0
    for piece in try! custom.pieces(text) {
        require(piece.lowerBound >= end && !piece.isEmpty && piece.upperBound <= count, "custom pieces out of order")
        end = piece.upperBound
    }
    return 0
}
