import ArgumentParser
import BPE
import BPEInspect
import Foundation

extension Bpe {
    struct Models: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the model catalog: each model's encoding, context window and output limit.",
            discussion: """
            The catalog is Vocab/models.json, built into the library: tiktoken 0.14's model names \
            and prefixes (gpt-4o*, gpt-4.1*, o1/o3/o4*, gpt-5*, gpt-4*, gpt-3.5-turbo*, embeddings, \
            the davinci and codex families, gpt2), gpt-oss, and the open models' names. With NAMEs, \
            shows what each resolves to (an exact name, else the longest matching prefix, as \
            tiktoken's encoding_for_model) and the public sources of its figures. -m NAME on the \
            other subcommands takes the same names. A dash means the catalog has no sourced figure.
            """
        )

        @Flag(help: "Print JSON: [{\"name\", \"encoding\", \"contextWindow\", \"maxInputTokens\", \"maxOutputTokens\", \"chat\", \"sources\"}].")
        var json = false

        @Argument(help: "Model names to look up (default: list every model).")
        var names: [String] = []

        func run() throws {
            let catalog = ModelCatalog.builtIn
            let models = try names.isEmpty ? catalog.models : names.map { try catalog.model(named: $0) }
            if json {
                print("[" + models.map(Self.json).joined(separator: ",\n ") + "]")
                return
            }
            if names.isEmpty {
                let rows = models.map { [$0.name, $0.encoding, Self.figure($0.contextWindow), Self.figure($0.inputBudget),
                                         Self.figure($0.maxOutputTokens), $0.chat.rawValue] }
                print(Self.table(header: ["model", "encoding", "context", "prompt max", "output max", "chat"], rows: rows), terminator: "")
                return
            }
            for (name, model) in zip(names, models) {
                let how = name == model.name ? "" : model.aliases.contains(name) ? " (alias of \(model.name))" : " (by prefix, as \(model.name))"
                print("\(name)\(how): \(model.encoding), context \(Self.figure(model.contextWindow)), prompt max \(Self.figure(model.inputBudget)), output max \(Self.figure(model.maxOutputTokens)), chat counting: \(model.chat.rawValue)")
                for source in model.sources { print("  source: \(source)") }
            }
        }

        static func figure(_ value: Int?) -> String { value.map(String.init) ?? "-" }

        static func json(_ model: ModelInfo) -> String {
            func number(_ value: Int?) -> String { value.map(String.init) ?? "null" }
            return "{\"name\": \(JSONRenderer.quote(model.name)), \"encoding\": \(JSONRenderer.quote(model.encoding)), "
                + "\"contextWindow\": \(number(model.contextWindow)), \"maxInputTokens\": \(number(model.maxInputTokens)), "
                + "\"maxOutputTokens\": \(number(model.maxOutputTokens)), \"chat\": \"\(model.chat.rawValue)\", "
                + "\"aliases\": [\(model.aliases.map(JSONRenderer.quote).joined(separator: ", "))], "
                + "\"prefixes\": [\(model.prefixes.map(JSONRenderer.quote).joined(separator: ", "))], "
                + "\"sources\": [\(model.sources.map(JSONRenderer.quote).joined(separator: ", "))]}"
        }

        /// Left-aligned text columns, numbers right-aligned.
        static func table(header: [String], rows: [[String]]) -> String {
            let all = [header] + rows
            let widths = header.indices.map { column in all.map { $0[column].count }.max()! }
            return all.map { row in
                row.indices.map { column in
                    let cell = row[column], pad = String(repeating: " ", count: widths[column] - cell.count)
                    return column >= 2 && column <= 4 ? pad + cell : cell + pad
                }.joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
            }.joined()
        }
    }
}
