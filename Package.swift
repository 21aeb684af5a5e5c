// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "nnview",
    products: [
        .library(name: "NNCore", targets: ["NNCore"]),
        .library(name: "ModulePaths", targets: ["ModulePaths"]),
        .library(name: "NNModules", targets: ["NNModules"]),
        .library(name: "FileFormats", targets: ["FileFormats"]),
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
        // The matrix-product inner loops in C, compiled for any CPU, for AVX2 + FMA and (the packed product) for
        // AVX-512 through target attributes, no flags; the variant is picked at run time.
        .target(name: "CNNKernels"),
        // Tensors and autograd: no knowledge of modules, files or screens.
        .target(name: "NNCore", dependencies: ["CNNKernels"]),
        // PyTorch's dotted names: joining and splitting module paths, a list of names as a tree. Pure Swift.
        .target(name: "ModulePaths"),
        // Module, Parameter, layers, init, losses, SGD, the book's networks.
        .target(name: "NNModules", dependencies: ["NNCore", "ModulePaths"]),
        // The file readers and writers: safetensors, PyTorch checkpoints (restricted unpickler), NumPy, GGUF, ONNX,
        // zip, Hugging Face folders, JSON. Records describe tensors inside mapped bytes. No tensors, no modules.
        .target(name: "FileFormats", dependencies: [
            "ModulePaths",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ]),
        // The .nn spec language and model loading: records → tensors, weights → modules, summaries, diff, convert.
        // Re-exports FileFormats and ModulePaths.
        .target(name: "ModelFiles", dependencies: ["FileFormats", "ModulePaths", "NNCore", "NNModules"]),
        // WordPiece and byte-level BPE tokenizers from tokenizer.json / vocab files (JSON through FileFormats' parser).
        // No model knowledge.
        .target(name: "Tokenizers", dependencies: ["FileFormats"]),
        // Real models as library code (BERT, GPT-2, Llama-family, sentence-transformers, torchvision CNNs), built
        // from config.json, GGUF metadata or a state dict's keys.
        .target(name: "Architectures", dependencies: ["NNCore", "NNModules", "ModelFiles", "ModulePaths", "Tokenizers"]),
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
        .target(name: "Explorer", dependencies: ["NNCore", "NNModules", "ModelFiles", "ModulePaths", "TerminalUI", "Architectures",
                                                 "Tokenizers", "Images"]),
        .systemLibrary(name: "CNcursesw", pkgConfig: "ncursesw", providers: [.apt(["libncursesw5-dev"])]),
        // The only code that imports CNcursesw.
        .target(name: "CursesBackend", dependencies: ["CNcursesw", "TerminalUI"]),
        .executableTarget(name: "nnview", dependencies: [
            "Explorer", "ModelFiles", "CursesBackend", "Architectures", "Tokenizers", "Images", "TerminalUI", "NNModules",
            "NNCore", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "nnbench", dependencies: ["NNCore", "NNModules", "ModelFiles", "ModulePaths", "Explorer",
                                                          "Architectures", "TerminalUI"]),

        .testTarget(name: "NNCoreTests", dependencies: ["NNCore", "TestSupport"], resources: [.copy("Fixtures")]),
        // Helpers shared by test targets (child processes, the reference cases, golden snapshots, the
        // finite-difference gradient checks).
        .target(name: "TestSupport", dependencies: ["NNCore"], path: "Tests/TestSupport"),
        .testTarget(name: "NNModulesTests", dependencies: ["NNCore", "NNModules", "TestSupport"]),
        .testTarget(name: "TokenizersTests", dependencies: ["Tokenizers", "FileFormats", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ArchitecturesTests", dependencies: ["Architectures", "FileFormats", "ModelFiles", "NNCore", "Tokenizers",
                                                               "NNModules", "TestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "ImagesTests", dependencies: ["Images", "NNCore", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ModelFilesTests", dependencies: ["FileFormats", "ModelFiles", "NNCore", "NNModules", "TestSupport"], resources: [.copy("Fixtures")]),
        // Golden frames are read through #filePath, not as resources.
        .testTarget(name: "CursesBackendTests", dependencies: ["CursesBackend", "TerminalUI"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "TestSupport"], exclude: ["Snapshots"]),
        .testTarget(name: "ExplorerTests", dependencies: ["Explorer", "Architectures", "Images", "ModelFiles", "NNCore",
                                                          "NNModules", "TerminalUI", "TestSupport"],
                    exclude: ["Render/Snapshots"],
                    resources: [.copy("Fixtures")]),
        // Runs the built nnview binary (SwiftPM builds every product for `swift test`); reads Fixtures via #filePath.
        .testTarget(name: "nnviewTests", dependencies: ["FileFormats", "ModelFiles", "TestSupport"], exclude: ["Fixtures"]),
    ]
)
