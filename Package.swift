// swift-tools-version: 6.0
import Foundation
import PackageDescription

/// Whether the machine building the package runs AVX2 + FMA code: read from /proc/cpuinfo on Linux x86-64 (the
/// manifest is evaluated on the building machine), false elsewhere or when `NNVIEW_PORTABLE=1` asks for a binary
/// that runs on any x86-64 CPU.
let buildMachineHasAVX2AndFMA: Bool = {
    #if arch(x86_64) && os(Linux)
    if ProcessInfo.processInfo.environment["NNVIEW_PORTABLE"] == "1" { return false }
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
          let flagsLine = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return false }
    let flags = Set(flagsLine.split(separator: " "))
    return flags.contains("avx2") && flags.contains("fma")
    #else
    return false
    #endif
}()

/// Release builds compile for Haswell (AVX2 + FMA, which makes swiftc emit vfmadd231ps for the matmul
/// micro-kernel) when the building machine has both; other CPUs get the portable build. `NNVIEW_FMA` tells NNCore
/// fused multiply-add is native (without it `addingProduct` on SIMD vectors falls back to libm calls, so the
/// kernel uses multiply + add).
let fastMath: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]
    + (buildMachineHasAVX2AndFMA ? [
        .unsafeFlags(["-target-cpu", "haswell"], .when(platforms: [.linux], configuration: .release)),
        .define("NNVIEW_FMA", .when(platforms: [.linux], configuration: .release)),
    ] : [])

let package = Package(
    name: "nnview",
    products: [
        .library(name: "NNCore", targets: ["NNCore"]),
        .library(name: "NNModules", targets: ["NNModules"]),
        .library(name: "ModelFiles", targets: ["ModelFiles"]),
        .library(name: "Tokenizers", targets: ["Tokenizers"]),
        .library(name: "Architectures", targets: ["Architectures"]),
        .library(name: "Images", targets: ["Images"]),
        .executable(name: "nnview", targets: ["nnview"]),
        .executable(name: "nnbench", targets: ["nnbench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        // Tensors and autograd: no knowledge of modules, files or screens.
        .target(name: "NNCore", swiftSettings: fastMath),
        // Module, Parameter, layers, init, losses, SGD, the book's networks.
        .target(name: "NNModules", dependencies: ["NNCore"], swiftSettings: fastMath),
        // safetensors, PyTorch checkpoints, NumPy, GGUF, the .nn spec language.
        .target(name: "ModelFiles", dependencies: [
            "NNModules",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ], swiftSettings: fastMath),
        // WordPiece and byte-level BPE tokenizers from tokenizer.json / vocab files. No model knowledge.
        .target(name: "Tokenizers"),
        // Real models as library code (BERT, GPT-2, Llama-family, sentence-transformers, torchvision CNNs), built
        // from config.json, GGUF metadata or a state dict's keys.
        .target(name: "Architectures", dependencies: ["NNCore", "NNModules", "ModelFiles", "Tokenizers"],
                swiftSettings: fastMath),
        // libpng + libjpeg: module.modulemap + shim.h (the C side of decoding, with its setjmp/longjmp handlers).
        .systemLibrary(name: "CImageCodecs", pkgConfig: "libpng",
                       providers: [.apt(["libpng-dev", "libjpeg-dev"])]),
        // Photos as input: PNG/JPEG decoding (the only code that imports CImageCodecs), torchvision's ImageNet
        // preprocessing, the ImageNet class names.
        .target(name: "Images", dependencies: ["NNCore", "CImageCodecs"], swiftSettings: fastMath),
        // Cell buffer, styles, widgets, themes, the Backend protocol. No model knowledge.
        .target(name: "TerminalUI", dependencies: [
            .product(name: "TOMLKit", package: "TOMLKit"),
        ], swiftSettings: fastMath),
        // The explorer's state machine, commands, undo history and view-models. No curses.
        .target(name: "Explorer", dependencies: ["NNModules", "ModelFiles", "TerminalUI"], swiftSettings: fastMath),
        .systemLibrary(name: "CNcursesw", pkgConfig: "ncursesw", providers: [.apt(["libncursesw5-dev"])]),
        // The only code that imports CNcursesw.
        .target(name: "CursesBackend", dependencies: ["CNcursesw", "TerminalUI"]),
        .executableTarget(name: "nnview", dependencies: [
            "Explorer", "ModelFiles", "CursesBackend", "Architectures", "Tokenizers", "Images",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: fastMath),
        .executableTarget(name: "nnbench", dependencies: ["NNModules", "ModelFiles", "Explorer", "Architectures"],
                          swiftSettings: fastMath),

        .testTarget(name: "NNCoreTests", dependencies: ["NNCore"], resources: [.copy("Fixtures")]),
        // Helpers shared by test targets (child processes, the reference cases, golden snapshots).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "NNModulesTests", dependencies: ["NNModules", "TestSupport"]),
        .testTarget(name: "TokenizersTests", dependencies: ["Tokenizers", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ArchitecturesTests", dependencies: ["Architectures", "TestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "ImagesTests", dependencies: ["Images", "NNCore", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ModelFilesTests", dependencies: ["ModelFiles", "TestSupport"], resources: [.copy("Fixtures")]),
        // Golden frames are read through #filePath, not as resources.
        .testTarget(name: "CursesBackendTests", dependencies: ["CursesBackend"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "TestSupport"], exclude: ["Snapshots"]),
        .testTarget(name: "ExplorerTests", dependencies: ["Explorer", "TestSupport"], exclude: ["Render/Snapshots"],
                    resources: [.copy("Fixtures")]),
        // Runs the built nnview binary (SwiftPM builds every product for `swift test`); reads Fixtures via #filePath.
        .testTarget(name: "nnviewTests", dependencies: ["ModelFiles", "TestSupport"], exclude: ["Fixtures"]),
    ]
)
