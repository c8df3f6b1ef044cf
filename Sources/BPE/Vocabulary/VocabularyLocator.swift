/// Where vocabulary files are looked for, in order:
/// 1. a folder the caller names;
/// 2. `$BPE_VOCAB_DIR`;
/// 3. `Vocab/cache/` of the swift-bpe checkout around the working directory or the running binary
///    (where `Tools/fetch-vocab` puts them);
/// 4. the user cache, `$XDG_CACHE_HOME/swift-bpe` or `~/.cache/swift-bpe`.
public enum VocabularyLocator {
    /// The folders searched, in order, that exist.
    public static func searchDirectories(explicit: String? = nil) -> [String] {
        var directories = [String]()
        if let explicit { directories.append(explicit) }
        if let env = POSIX.environment("BPE_VOCAB_DIR"), !env.isEmpty { directories.append(env) }
        for start in [POSIX.currentDirectory(), executableDirectory()].compactMap({ $0 }) {
            if let root = checkoutRoot(from: start) { directories.append(root + "/Vocab/cache") }
        }
        if let user = userCacheDirectory { directories.append(user) }
        var seen = Set<String>()
        return directories.filter { seen.insert($0).inserted }
    }

    /// The path of `file` in the first search folder that has it.
    /// - Throws: ``VocabularyError`` (`notFound`) naming every folder searched and the fix.
    public static func locate(_ file: String, explicit: String? = nil) throws(VocabularyError) -> String {
        let directories = searchDirectories(explicit: explicit)
        for directory in directories where FileBytes.exists(directory + "/" + file) {
            return directory + "/" + file
        }
        throw VocabularyError(file: file, problem: .notFound(searched: directories))
    }

    /// The user cache, `$XDG_CACHE_HOME/swift-bpe` or `~/.cache/swift-bpe` (nil when neither
    /// variable is set): where `bpe fetch` puts files, and the one folder every program searches,
    /// whichever package it is built in.
    public static var userCacheDirectory: String? {
        if let xdg = POSIX.environment("XDG_CACHE_HOME"), !xdg.isEmpty { return xdg + "/swift-bpe" }
        if let home = POSIX.environment("HOME"), !home.isEmpty { return home + "/.cache/swift-bpe" }
        return nil
    }

    static func executableDirectory() -> String? {
        guard let path = POSIX.executablePath() else { return nil }
        return path.lastIndex(of: "/").map { String(path[..<$0]) }
    }

    /// The nearest ancestor of `start` (itself included) holding `Vocab/manifest.json`: a
    /// swift-bpe checkout.
    public static func checkoutRoot(from start: String) -> String? {
        var directory = start
        while true {
            if FileBytes.exists(directory + "/Vocab/manifest.json") { return directory }
            guard let slash = directory.lastIndex(of: "/"), directory != "/" else { return nil }
            directory = slash == directory.startIndex ? "/" : String(directory[..<slash])
        }
    }
}
