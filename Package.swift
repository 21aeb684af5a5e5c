// swift-tools-version: 6.0
import PackageDescription

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
        // The matrix-product inner loops in C, compiled for any CPU and for AVX2 + FMA, picked at run time.
        .target(name: "CNNKernels"),
        // Tensors and autograd: no knowledge of modules, files or screens.
        .target(name: "NNCore", dependencies: ["CNNKernels"]),
        // Module, Parameter, layers, init, losses, SGD, the book's networks.
        .target(name: "NNModules", dependencies: ["NNCore"]),
        // safetensors, PyTorch checkpoints, NumPy, GGUF, the .nn spec language.
        .target(name: "ModelFiles", dependencies: [
            "NNModules",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        // WordPiece and byte-level BPE tokenizers from tokenizer.json / vocab files. No model knowledge.
        .target(name: "Tokenizers"),
        // Real models as library code (BERT, GPT-2, Llama-family, sentence-transformers, torchvision CNNs), built
        // from config.json, GGUF metadata or a state dict's keys.
        .target(name: "Architectures", dependencies: ["NNCore", "NNModules", "ModelFiles", "Tokenizers"]),
        // libpng + libjpeg: module.modulemap + shim.h (the C side of decoding, with its setjmp/longjmp handlers).
        .systemLibrary(name: "CImageCodecs", pkgConfig: "libpng",
                       providers: [.apt(["libpng-dev", "libjpeg-dev"])]),
        // Photos as input: PNG/JPEG decoding (the only code that imports CImageCodecs), torchvision's ImageNet
        // preprocessing, the ImageNet class names.
        .target(name: "Images", dependencies: ["NNCore", "CImageCodecs"]),
        // Cell buffer, styles, widgets, themes, the Backend protocol. No model knowledge.
        .target(name: "TerminalUI", dependencies: [
            .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        // The explorer's state machine, commands, undo history and view-models. No curses.
        .target(name: "Explorer", dependencies: ["NNModules", "ModelFiles", "TerminalUI", "Architectures", "Tokenizers", "Images"]),
        .systemLibrary(name: "CNcursesw", pkgConfig: "ncursesw", providers: [.apt(["libncursesw5-dev"])]),
        // The only code that imports CNcursesw.
        .target(name: "CursesBackend", dependencies: ["CNcursesw", "TerminalUI"]),
        .executableTarget(name: "nnview", dependencies: [
            "Explorer", "ModelFiles", "CursesBackend", "Architectures", "Tokenizers", "Images",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "nnbench", dependencies: ["NNModules", "ModelFiles", "Explorer", "Architectures"]),

        .testTarget(name: "NNCoreTests", dependencies: ["NNCore", "TestSupport"], resources: [.copy("Fixtures")]),
        // Helpers shared by test targets (child processes, the reference cases, golden snapshots, the
        // finite-difference gradient checks).
        .target(name: "TestSupport", dependencies: ["NNCore"], path: "Tests/TestSupport"),
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
