import ArgumentParser
import BPE
import BPEInspect
import Foundation
import Harmony

extension Bpe.Count {
    /// `--chat`: each input (standard input when none) is a Chat Completions request body,
    /// counted for its model (or `-m`); a line on stderr says which counts are estimates.
    func countChatRequests() throws {
        var rows = [CountTable.Row]()
        var estimated = Set<String>()
        var failures = 0
        let inputs = paths.isEmpty ? ["-"] : paths
        for path in inputs {
            do {
                let bytes = try InputFile.read(path)
                var request = try ChatRequest(json: InputFile.text(bytes, name: path, hint: "a chat request is JSON text"))
                if let model = encodings.models.first { request.model = model }
                let count = try request.countTokens(vocabularyDirectory: encodings.folder.vocabDir)
                if !count.isExact { estimated.insert(request.model) }
                rows.append(CountTable.Row(path: path, counts: [TokenCount(bytes: bytes.count, tokens: count.tokens)],
                                           limits: [try TokenBudget.limit(max, model: count.model, label: request.model)],
                                           extra: [("model", JSONRenderer.quote(request.model)), ("exact", String(count.isExact))]))
            } catch {
                FileHandle.standardError.write(Data("bpe count: \(path): \(error)\n".utf8))
                failures += 1
            }
        }
        let table = CountTable(labels: ["prompt"], rows: rows)
        print(json ? table.json() : table.text(), terminator: "")
        if !estimated.isEmpty {
            FileHandle.standardError.write(Data(
                "bpe count: counts for \(estimated.sorted().joined(separator: ", ")) are estimates (OpenAI cookbook's per-message formula); the API's usage.prompt_tokens may differ\n".utf8))
        }
        if failures > 0 { throw ExitCode(1) }
        try table.checkBudgets(named: max != nil)
    }
}
