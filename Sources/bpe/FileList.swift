import Foundation

/// Files under the given paths, in order: folders recursively (sorted by name), skipping hidden
/// entries and binary files unless asked; unreadable paths reported and skipped.
///
/// A folder inside a git work tree lists what git would: `git ls-files --cached --others
/// --exclude-standard`, so `.gitignore` files, `.git/info/exclude` and the global excludes file
/// apply exactly as git applies them (tracked files count even when a pattern matches them, as
/// in git). `respectIgnores: false`, or a folder outside any work tree, or no `git` on the
/// machine: every file is walked.
enum FileList {
    static func collect(_ paths: [String], includeHidden: Bool, includeBinary: Bool, respectIgnores: Bool = true,
                        report: (String) -> Void) -> [String] {
        var files = [String]()
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else {
                report("\(path): No such file or directory")
                continue
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let relatives: [String]
            if respectIgnores, let listed = Git.filesGitWouldList(in: path) {
                relatives = listed
            } else if let walked = walk(path, includeHidden: includeHidden, manager: manager) {
                relatives = walked
            } else {
                report("\(path): cannot read folder")
                continue
            }
            var found = [String]()
            for relative in relatives {
                let components = relative.split(separator: "/")
                if !includeHidden, components.contains(where: { $0.hasPrefix(".") }) { continue }
                let full = (path as NSString).appendingPathComponent(relative)
                var isFolder: ObjCBool = false
                // Skips what git lists but the work tree lacks (deleted files) and submodules.
                guard manager.fileExists(atPath: full, isDirectory: &isFolder), !isFolder.boolValue else { continue }
                if !includeBinary, isBinary(full) { continue }
                found.append(full)
            }
            files += found.sorted()
        }
        return files
    }

    /// Every file below `folder`, relative to it; hidden folders entered only with `includeHidden`.
    static func walk(_ folder: String, includeHidden: Bool, manager: FileManager) -> [String]? {
        guard let walker = manager.enumerator(atPath: folder) else { return nil }
        var found = [String]()
        while let relative = walker.nextObject() as? String {
            let full = (folder as NSString).appendingPathComponent(relative)
            var isFolder: ObjCBool = false
            _ = manager.fileExists(atPath: full, isDirectory: &isFolder)
            if isFolder.boolValue {
                if !includeHidden, (relative as NSString).lastPathComponent.hasPrefix(".") { walker.skipDescendants() }
                continue
            }
            found.append(relative)
        }
        return found
    }

    /// A NUL byte in the first 8 KiB.
    static func isBinary(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        return handle.readData(ofLength: 8192).contains(0)
    }
}

/// Asks git itself which files a folder holds, instead of matching ignore patterns by hand.
enum Git {
    /// The files git lists below `folder` (relative to it): tracked ones and untracked ones that
    /// no ignore rule excludes. Nil when `folder` is not in a work tree or git cannot be run.
    static func filesGitWouldList(in folder: String) -> [String]? {
        guard let inside = run(["-C", folder, "rev-parse", "--is-inside-work-tree"]),
              String(decoding: inside, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == "true",
              let listed = run(["-C", folder, "ls-files", "--cached", "--others", "--exclude-standard", "-z"])
        else { return nil }
        var seen = Set<String>()
        // With -z, paths are NUL-separated and never quoted; a path with unmerged stages is listed once per stage.
        return listed.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }.filter { seen.insert($0).inserted }
    }

    /// git's standard output, or nil when it cannot be started or exits non-zero.
    static func run(_ arguments: [String]) -> Data? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? data : nil
    }
}
