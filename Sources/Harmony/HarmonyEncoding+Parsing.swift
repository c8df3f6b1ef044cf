import BPE

extension HarmonyEncoding {
    /// The messages in completion ids (see ``HarmonyStreamParser``).
    public func parse(_ tokens: some Sequence<Rank>, role: Role? = nil, strict: Bool = true) throws(HarmonyError) -> [Message] {
        var parser = HarmonyStreamParser(harmony: self, role: role, strict: strict)
        for token in tokens { try parser.process(token) }
        try parser.processEOS()
        return parser.messages
    }
}
