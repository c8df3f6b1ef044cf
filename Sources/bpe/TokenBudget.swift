import ArgumentParser
import BPE

/// A token budget on the command line: `N`, or `context` for the prompt limit of the `-m MODEL`
/// (its context window, or a tighter published input limit).
enum TokenBudget: ExpressibleByArgument, Equatable {
    case tokens(Int)
    case context

    init?(argument: String) {
        if argument == "context" { self = .context } else if let n = Int(argument) { self = .tokens(n) } else { return nil }
    }

    /// The number of tokens: N, or the prompt limit of the model named `model`.
    /// - Throws: `ValidationError` for `context` without a model, or a model with no sourced limit.
    func resolve(model: String?, flag: String) throws -> Int {
        if case let .tokens(n) = self { return n }
        guard let model else { throw ValidationError("\(flag) context needs -m MODEL (only a model has a context window); give \(flag) N for an encoding") }
        return try Self.limit(self, model: ModelCatalog.builtIn.model(named: model), label: model, flag: flag)!.tokens
    }

    /// The limit for a column or request labelled `label`: N for `--max N`; with `context` (or no
    /// budget given, for the share in `--json` only) `model`'s prompt limit; nil without a model.
    /// - Throws: `ValidationError` for `context` and a model the catalog has no limit for.
    static func limit(_ budget: TokenBudget?, model: ModelInfo?, label: String, flag: String = "--max") throws -> CountTable.Limit? {
        switch budget {
        case let .tokens(n): return CountTable.Limit(tokens: n, what: "\(flag) \(n)")
        case .context:
            guard let model else { return nil }
            guard let limit = model.inputBudget else {
                throw ValidationError("the catalog has no context window for \(label) (\(model.name)); give \(flag) N")
            }
            return CountTable.Limit(tokens: limit, what: model.maxInputTokens != nil ? "\(label)'s input limit" : "\(label)'s context window")
        case nil:
            return model?.inputBudget.map { CountTable.Limit(tokens: $0, what: "\(label)'s prompt limit") }
        }
    }
}
