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

    /// The number of tokens: N, or the prompt limit of `model` from the catalog.
    /// - Throws: `ValidationError` for `context` without a model, or a model with no sourced limit.
    func resolve(model: String?, flag: String) throws -> Int {
        switch self {
        case let .tokens(n): return n
        case .context:
            guard let model else { throw ValidationError("\(flag) context needs -m MODEL (only a model has a context window); give \(flag) N for an encoding") }
            let info = try ModelCatalog.builtIn.model(named: model)
            guard let limit = info.inputBudget else {
                throw ValidationError("the catalog has no context window for \(model) (\(info.name)); give \(flag) N")
            }
            return limit
        }
    }
}
