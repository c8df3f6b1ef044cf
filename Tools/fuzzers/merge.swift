// Byte-pair merging on fuzzed vocabularies: the input names extra tokens over the alphabet `abcd`
// and a piece; tiktoken's loop, the heap and the backtracking search must all give the readable
// reference merge's tokens, and so must the long-piece path that first cuts the piece at pairs no
// token contains.
//
// Input: token groups separated by 0xFE, then 0xFF, then the piece; every other byte maps to
// `abcd`[byte % 4]. Groups of 2…16 bytes become tokens in order (ranks from 256 on).
import Foundation
@testable import BPE

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let all = input(data, size)
    guard let separator = all.firstIndex(of: 0xFF) else { return 0 }
    let alphabet = Array("abcd".utf8)
    var tokens = [[UInt8]]()
    var known = Set<[UInt8]>()
    for group in all[..<separator].split(separator: 0xFE) where (2...16).contains(group.count) {
        let token = group.map { alphabet[Int($0) % 4] }
        if known.insert(token).inserted { tokens.append(token) }
    }
    let piece = all[(separator + 1)...].map { alphabet[Int($0) % 4] }
    guard !tokens.isEmpty, tokens.count <= 300, !piece.isEmpty, piece.count <= 600 else { return 0 }
    var lines = (0...255).map { Data([UInt8($0)]).base64EncodedString() + " \($0)" }
    for (i, token) in tokens.enumerated() { lines.append(Data(token).base64EncodedString() + " \(256 + i)") }
    let vocabulary = try! Vocabulary(tiktoken: Array((lines.joined(separator: "\n") + "\n").utf8), source: "fuzz")

    let expected = vocabulary.referenceMerge(piece)
    var short = [Rank](), heap = [Rank](), backtracked = [Rank](), cut = [Rank]()
    piece.withUnsafeBufferPointer { buffer in
        vocabulary.merger.mergeShortPiece(buffer.baseAddress!, buffer.count, into: &short)
        vocabulary.merger.mergeWithHeap(buffer.baseAddress!, buffer.count, into: &heap)
        vocabulary.merger.mergeLongPiece(buffer.baseAddress!, buffer.count, into: &cut)
        // Every vocabulary has an index (tokens whose own merges are out of rank order are marked).
        require(vocabulary.merger.mergeByBacktracking(buffer.baseAddress!, buffer.count, vocabulary.merger.backtrackingIndex,
                                                      into: &backtracked),
                "the backtracking search found no encoding")
    }
    require(short == expected, "tiktoken's loop differs from the reference merge")
    require(heap == expected, "the heap differs from the reference merge")
    require(cut == expected, "merging cut at unjoinable pairs differs from the reference merge")
    require(backtracked == expected, "the backtracking search differs from the reference merge: \(tokens) \(piece)")
    return 0
}
