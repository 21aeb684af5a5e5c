// libFuzzer target: the .nn spec language — lexer, parser and builder (with the dry forward) under small limits.
@testable import FileFormats
@testable import ModelFiles

/// Small enough that a valid spec builds in milliseconds, so the fuzzer spends its time on parsing.
let fuzzSpecLimits = SpecLimits(maxFileBytes: 1 << 16, maxLineLength: 1000, maxNestingDepth: 32,
                                maxStatements: 200, maxElements: 1 << 16)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSpec(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let source = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? ModelSpec.parse(source, file: "fuzz.nn", limits: fuzzSpecLimits)
    return 0
}
