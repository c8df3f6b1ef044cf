// The JSON tokenizer readers (Tekken, tokenizer.json) on arbitrary bytes: each loads or throws a
// VocabularyError, never traps; a loaded tokenizer encodes text and raw bytes and decodes them
// back (raw bytes may lack a token in a tokenizer.json: that is an error, never a loss).
@testable import BPE

let sample = "Hello, world! 123 <s> [INST] café 中文 👍\n  x"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = input(data, size)
    var encodings = [Encoding]()
    if let file = try? TekkenFile(json: bytes, source: "fuzz"),
       let encoding = try? Encoding(name: "tekken", vocabulary: file.vocabulary, pattern: file.pattern, specialTokens: file.specialTokens) {
        encodings.append(encoding)
    }
    if let file = try? HuggingFaceTokenizerFile(json: bytes, source: "fuzz"),
       let encoding = try? Encoding.huggingFace(file, name: "hf") {
        encodings.append(encoding)
    }
    for encoding in encodings {
        // A ByteLevel with add_prefix_space puts spaces that are not in the text before pieces.
        let addsSpaces = encoding.preTokenizer.steps?.contains(where: \.addPrefixSpace) == true
        for text in [sample, String(decoding: bytes.prefix(256), as: UTF8.self)] {
            do {
                // Hugging Face's view (every added token cut out) is what normalize(_:) gives.
                let ids = try encoding.encode(text, allowedSpecial: .all)
                let decoded = try! encoding.decodeBytes(ids)
                require(addsSpaces || decoded == Array(encoding.normalize(text).utf8), "text round trip failed")
                _ = try encoding.encodeOrdinary(text)
                _ = encoding.addingSpecialTokens(ids)
            } catch TokenEncodingError.noTokenForByte {
            } catch {
                require(false, "unexpected error \(error)")
            }
        }
        do {
            let ids = try encoding.encode(bytes: bytes.prefix(256), disallowedSpecial: .none)
            if encoding.normalizer == nil, !addsSpaces { require(try! encoding.decodeBytes(ids) == Array(bytes.prefix(256)), "bytes round trip failed") }
        } catch TokenEncodingError.noTokenForByte {
        } catch {
            require(false, "unexpected error \(error)")
        }
    }
    return 0
}
