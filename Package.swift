// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "swift-bpe",
    products: [
        .library(name: "BPE", targets: ["BPE"]),
        .library(name: "BPEInspect", targets: ["BPEInspect"]),
        .library(name: "Harmony", targets: ["Harmony"]),
        .executable(name: "bpe", targets: ["bpe"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // For `swift package generate-documentation --target BPE` only (a plugin: never linked).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]
        ),
        .target(name: "PCRE2", dependencies: ["CPCRE2"]),
        .target(name: "BPE", dependencies: ["PCRE2"]),
        .target(name: "BPEInspect", dependencies: ["BPE"]),
        .target(name: "Harmony", dependencies: ["BPE"]),
        .executableTarget(
            name: "bpe",
            dependencies: [
                "BPE", "BPEInspect", "Harmony",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "inference-example", dependencies: ["BPE"]),
        .testTarget(name: "PCRE2Tests", dependencies: ["PCRE2"]),
        .testTarget(name: "BPETests", dependencies: ["BPE"], resources: [.copy("Fixtures")]),
        .testTarget(name: "BPEInspectTests", dependencies: ["BPEInspect"], resources: [.copy("Fixtures")]),
        .testTarget(name: "HarmonyTests", dependencies: ["Harmony"], resources: [.copy("Fixtures")]),
        .testTarget(name: "bpeTests", dependencies: ["bpe", "inference-example", "BPE"], exclude: ["Expected"]),
    ]
)
