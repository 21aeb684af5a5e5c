// swift-tools-version: 6.0
// A separate package that uses nnview's NNCore and NNModules products, as any other package would: SwiftPM
// refuses a dependency whose targets use unsafe flags, so this builds only while nnview has none.
// Built by Tests/nnviewTests/DownstreamPackageTests.swift; by hand: `swift build` or `swift run` in this folder.
import PackageDescription

let package = Package(
    name: "downstream",
    dependencies: [
        .package(name: "nnview", path: "../.."),
    ],
    targets: [
        .executableTarget(name: "downstream", dependencies: [
            .product(name: "NNCore", package: "nnview"),
            .product(name: "NNModules", package: "nnview"),
        ]),
    ]
)
