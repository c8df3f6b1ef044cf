// Encode then decode arbitrary bytes: the round trip holds, the valid-UTF-8 paths agree with each
// other and with the readable reference merge, streaming decode and offsets give the text back,
// and the parts of the text cut at every safe cut encode to the whole's ids.
@testable import BPE

let encodings: [Encoding] = ["o200k_base", "cl100k_base"].map { try! Encoding.named($0) }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let all = input(data, size)
    guard let selector = all.first else { return 0 }
    let encoding = encodings[Int(selector) % encodings.count]
    let bytes = Array(all.dropFirst())

    let ids = try! encoding.encode(bytes: bytes, disallowedSpecial: .none)
    require(try! encoding.decodeBytes(ids) == bytes, "decodeBytes(encode(bytes:)) differs from the input")
    guard let text = String(validating: bytes, as: UTF8.self) else { return 0 }

    require(try! encoding.encodeOrdinary(text) == ids, "encodeOrdinary differs from encode(bytes:)")
    require(try! encoding.countTokens(text) == ids.count, "countTokens differs from the encoding's length")
    var expected = [Rank]()
    for piece in try! encoding.preTokenizer.pieces(text) {
        expected += encoding.vocabulary.referenceMerge(Array(bytes[piece]))
    }
    require(expected == ids, "the engine differs from the reference merge")
    require(try! encoding.decode(ids) == text, "decode differs from the input")

    var decoder = StreamingDecoder(encoding: encoding)
    var streamed = ""
    for id in ids { streamed += try! decoder.push(id) }
    streamed += try! decoder.finish(.error)
    require(streamed == text, "streaming decode differs from the input")

    let spans = try! encoding.encodeWithOffsets(text, disallowedSpecial: .none)  // special-token text is plain text here, as above
    require(spans.map(\.id) == ids, "encodeWithOffsets ids differ")
    var end = 0
    for span in spans {
        require(span.utf8.lowerBound <= end && span.utf8.upperBound >= end, "offsets leave a gap")
        end = max(end, span.utf8.upperBound)
    }
    require(end == bytes.count, "offsets do not reach the end")

    let cuts = bytes.withUnsafeBufferPointer { encoding.preTokenizer.safeCuts($0, every: 1) }
    var joined = [Rank]()
    for (start, stop) in zip([0] + cuts, cuts + [bytes.count]) {
        joined += try! encoding.encode(bytes: Array(bytes[start..<stop]), disallowedSpecial: .none)
    }
    require(joined == ids, "the parts cut at safe cuts encode differently from the whole")
    return 0
}
