/// Model names → encoding and token limits, read from a JSON file (the built-in one is
/// `Vocab/models.json`, embedded in the library).
///
/// Lookup follows tiktoken's `encoding_name_for_model`: an exact name (or alias) first, then a
/// prefix, so that dated snapshots and fine-tunes (`gpt-4o-2024-08-06`, `ft:gpt-4o:…`) resolve
/// without an entry of their own. Where several prefixes match, the longest wins; for tiktoken's
/// own prefixes that gives the same answer as its first-match order, and it lets the catalog
/// add narrower prefixes with other limits (`gpt-4-32k` under `gpt-4-`).
///
/// ```swift
/// let model = try ModelCatalog.builtIn.model(named: "gpt-4o-mini-2024-07-18")
/// model.encoding        // "o200k_base"
/// model.contextWindow   // 128000
/// ```
public struct ModelCatalog: Sendable {
    /// The models, in the file's order.
    public let models: [ModelInfo]
    private let exact: [String: Int]
    private let prefixes: [(prefix: String, model: Int)]

    /// A catalog of `models`.
    /// - Throws: ``ModelCatalogError`` when two entries claim the same name or prefix.
    public init(models: [ModelInfo]) throws(ModelCatalogError) {
        self.models = models
        var exact = [String: Int]()
        var prefixes = [(prefix: String, model: Int)]()
        var seenPrefixes = Set<String>()
        for (index, model) in models.enumerated() {
            for name in [model.name] + model.aliases {
                guard exact.updateValue(index, forKey: name) == nil else { throw ModelCatalogError("the name \"\(name)\" appears twice") }
            }
            for prefix in model.prefixes {
                guard !prefix.isEmpty, seenPrefixes.insert(prefix).inserted else {
                    throw ModelCatalogError("the prefix \"\(prefix)\" is empty or appears twice")
                }
                prefixes.append((prefix, index))
            }
        }
        self.exact = exact
        // Longest first, so the first match is the longest.
        self.prefixes = prefixes.sorted { $0.prefix.utf8.count > $1.prefix.utf8.count }
    }

    /// The model `name` stands for: an exact name or alias, else the entry with the longest
    /// matching prefix.
    /// - Throws: ``UnknownModelError`` naming the closest known names.
    /// - Complexity: O(*p*) for *p* prefixes in the catalog.
    public func model(named name: String) throws(UnknownModelError) -> ModelInfo {
        if let index = exact[name] { return models[index] }
        if let match = prefixes.first(where: { name.hasPrefix($0.prefix) }) { return models[match.model] }
        throw UnknownModelError(name: name, suggestions: suggestions(for: name))
    }

    /// Up to five known names closest to `name` (by edit distance, ignoring case), for an error.
    func suggestions(for name: String) -> [String] {
        let wanted = Array(name.lowercased().utf8)
        let names = models.flatMap { [$0.name] + $0.aliases }
        let scored = names.map { known -> (String, Int) in
            (known, Self.editDistance(wanted, Array(known.lowercased().utf8)))
        }
        let limit = max(2, wanted.count / 3)
        return scored.filter { $0.1 <= limit }.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(5).map(\.0)
    }

    /// Levenshtein distance between two byte strings.
    /// - Complexity: O(*m*·*n*).
    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...a.count {
            current[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}

/// A model name no entry of the catalog matches.
public struct UnknownModelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The name asked for.
    public let name: String
    /// The closest known names, best first.
    public let suggestions: [String]
    /// One line: the name, the closest known ones, and where the full list is.
    public var description: String {
        let close = suggestions.isEmpty ? "" : "; did you mean \(suggestions.joined(separator: ", "))?"
        return "unknown model '\(name)'\(close) (`bpe models` lists every model; -e NAME picks an encoding directly)"
    }
}

/// A model catalog file that cannot be read.
public struct ModelCatalogError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let message: String
    init(_ message: String) { self.message = message }
    /// One line saying what is wrong.
    public var description: String { "model catalog: \(message)" }
}
