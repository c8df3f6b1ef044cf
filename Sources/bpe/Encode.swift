import ArgumentParser
import BPE

extension Bpe {
    struct Encode: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the token ids of the input, separated by spaces.",
            discussion: """
            The input is read as bytes; invalid UTF-8 is encoded through the raw-bytes path and still \
            decodes back exactly. Special-token text such as <|endoftext|> is an error unless \
            --allow-special (encode it as the control token) or --special-as-text (encode it as plain text). \
            The ids are the text's own, as Hugging Face's encode(text, add_special_tokens=False) gives; \
            --add-special-tokens adds what the tokenizer puts around a text (its post-processor: Llama's \
            <|begin_of_text|>, Tekken's <s>, a tokenizer.json's TemplateProcessing).
            """
        )

        @OptionGroup var options: EncodingOptions

        @Flag(help: "Encode special-token text in the input as control tokens.")
        var allowSpecial = false

        @Flag(help: "Encode special-token text in the input as ordinary text.")
        var specialAsText = false

        @Flag(help: "Add the tokenizer's beginning/end-of-sequence tokens around the ids (add_special_tokens=True, bos=True).")
        var addSpecialTokens = false

        @Argument(help: "Input file; standard input when omitted or -.")
        var file: String?

        func validate() throws {
            if allowSpecial && specialAsText { throw ValidationError("--allow-special and --special-as-text exclude each other") }
        }

        func run() throws {
            let encoding = try options.load()
            let bytes = try InputFile.read(file)
            var ids: [Rank]
            do {
                if let text = String(validating: bytes, as: UTF8.self) {
                    options.warnAboutUnmatchedText(text, encoding: encoding)
                    ids = specialAsText ? try encoding.encodeOrdinary(text)
                        : try encoding.encode(text, allowedSpecial: allowSpecial ? .all : .none)
                } else {
                    if allowSpecial { throw ValidationError("--allow-special needs valid UTF-8 input") }
                    ids = try encoding.encode(bytes: bytes, disallowedSpecial: specialAsText ? .none : .all)
                }
            } catch let TokenEncodingError.disallowedSpecialToken(token, offset) {
                throw SpecialTokenInInput(token: token, byteOffset: offset)
            }
            if addSpecialTokens { ids = encoding.addingSpecialTokens(ids) }
            Output.write(ids.map(String.init).joined(separator: " ") + "\n")
        }
    }
}

/// Special-token text in `encode`'s input, with the flags that decide what it becomes.
struct SpecialTokenInInput: Error, CustomStringConvertible {
    let token: String
    let byteOffset: Int
    var description: String {
        "the input contains the special token \(token) at byte \(byteOffset); pass --allow-special to encode it as the control token, or --special-as-text to encode it as plain text"
    }
}
