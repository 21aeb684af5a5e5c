import Testing
@testable import FileFormats
@testable import ModelFiles

/// The restricted unpickler against pickles written by CPython (every protocol) and against crafted hostile ones.
@Suite struct RestrictedUnpicklerTests {
    /// `pickle.dumps(obj, protocol=p)` for p in 0...5 of
    /// `{"a": [1, -1, 2**70, -2**70, 1.5, True, None, -129, 300, 70000, -5], "b": b"xy", "c": (1, 2, 3), "s": {7},
    ///   "f": frozenset({8}), "u": "\u00fcn\u0131", "ba": bytearray(b"z"), "e": (), "one": (4,), "two": (5, 6),
    ///   "nested": {"k": [[]]}}`
    static let cpythonPickles = [
        "286470300a56610a70310a286c70320a49310a61492d310a614c313138303539313632303731373431313330333432344c0a614c2d313138303539313632303731373431313330333432344c0a6146312e350a614930310a614e61492d3132390a61493330300a614937303030300a61492d350a617356620a70330a635f636f646563730a656e636f64650a70340a285678790a70350a566c6174696e310a70360a7470370a5270380a7356630a70390a2849310a49320a49330a747031300a7356730a7031310a635f5f6275696c74696e5f5f0a7365740a7031320a28286c7031330a49370a61747031340a527031350a7356660a7031360a635f5f6275696c74696e5f5f0a66726f7a656e7365740a7031370a28286c7031380a49380a61747031390a527032300a7356750a7032310a56fc6e5c75303133310a7032320a735662610a7032330a635f5f6275696c74696e5f5f0a6279746561727261790a7032340a2867340a28567a0a7032350a67360a747032360a527032370a747032380a527032390a7356650a7033300a287473566f6e650a7033310a2849340a747033320a735674776f0a7033330a2849350a49360a747033340a73566e65737465640a7033350a28647033360a566b0a7033370a286c7033380a286c7033390a6173732e",
        "7d71002858010000006171015d7102284b014affffffff4c313138303539313632303731373431313330333432344c0a4c2d313138303539313632303731373431313330333432344c0a473ff80000000000004930310a4e4a7fffffff4d2c014a701101004afbffffff655801000000627103635f636f646563730a656e636f64650a71042858020000007879710558060000006c6174696e3171067471075271085801000000637109284b014b024b0374710a580100000073710b635f5f6275696c74696e5f5f0a7365740a710c285d710d4b076174710e52710f5801000000667110635f5f6275696c74696e5f5f0a66726f7a656e7365740a7111285d71124b086174711352711458010000007571155805000000c3bc6ec4b17116580200000062617117635f5f6275696c74696e5f5f0a6279746561727261790a71182868042858010000007a7119680674711a52711b74711c52711d580100000065711e2958030000006f6e65711f284b04747120580300000074776f7121284b054b0674712258060000006e657374656471237d712458010000006b71255d71265d71276173752e",
        "80027d71002858010000006171015d7102284b014affffffff8a090000000000000000408a090000000000000000c0473ff8000000000000884e4a7fffffff4d2c014a701101004afbffffff655801000000627103635f636f646563730a656e636f64650a710458020000007879710558060000006c6174696e31710686710752710858010000006371094b014b024b0387710a580100000073710b635f5f6275696c74696e5f5f0a7365740a710c5d710d4b076185710e52710f5801000000667110635f5f6275696c74696e5f5f0a66726f7a656e7365740a71115d71124b086185711352711458010000007571155805000000c3bc6ec4b17116580200000062617117635f5f6275696c74696e5f5f0a6279746561727261790a7118680458010000007a7119680686711a52711b85711c52711d580100000065711e2958030000006f6e65711f4b04857120580300000074776f71214b054b0686712258060000006e657374656471237d712458010000006b71255d71265d71276173752e",
        "80037d71002858010000006171015d7102284b014affffffff8a090000000000000000408a090000000000000000c0473ff8000000000000884e4a7fffffff4d2c014a701101004afbffffff65580100000062710343027879710458010000006371054b014b024b038771065801000000737107636275696c74696e730a7365740a71085d71094b076185710a52710b580100000066710c636275696c74696e730a66726f7a656e7365740a710d5d710e4b086185710f52711058010000007571115805000000c3bc6ec4b17112580200000062617113636275696c74696e730a6279746561727261790a711443017a711585711652711758010000006571182958030000006f6e6571194b0485711a580300000074776f711b4b054b0686711c58060000006e6573746564711d7d711e58010000006b711f5d71205d71216173752e",
        "800495d1000000000000007d94288c0161945d94284b014affffffff8a090000000000000000408a090000000000000000c0473ff8000000000000884e4a7fffffff4d2c014a701101004afbffffff658c01629443027879948c0163944b014b024b0387948c0173948f94284b07908c016694284b0891948c0175948c05c3bc6ec4b1948c026261948c086275696c74696e73948c0962797465617272617994939443017a94859452948c016594298c036f6e65944b0485948c0374776f944b054b0686948c066e6573746564947d948c016b945d945d946173752e",
        "800595bb000000000000007d94288c0161945d94284b014affffffff8a090000000000000000408a090000000000000000c0473ff8000000000000884e4a7fffffff4d2c014a701101004afbffffff658c01629443027879948c0163944b014b024b0387948c0173948f94284b07908c016694284b0891948c0175948c05c3bc6ec4b1948c026261949601000000000000007a948c016594298c036f6e65944b0485948c0374776f944b054b0686948c066e6573746564947d948c016b945d945d946173752e",
    ]

    static let expectedRendering = "{a: [1, -1, big:000000000000000040, big:0000000000000000c0, 1.5, True, None, -129, "
        + "300, 70000, -5], b: b'7879', c: (1, 2, 3), s: set(7), f: frozenset(8), u: '\u{fc}n\u{131}', ba: b'7a', "
        + "e: (), one: (4), two: (5, 6), nested: {k: [[]]}}"

    @Test(arguments: 0 ..< 6)
    func readsEveryProtocolLikeCPython(protocolVersion: Int) throws {
        let bytes = Self.hexBytes(Self.cpythonPickles[protocolVersion])
        let graph = try bytes.withUnsafeBytes { try RestrictedUnpickler.load($0).graph }
        #expect(PickleRendering.render(graph) == Self.expectedRendering)
    }

    static func hexBytes(_ hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index ..< next], radix: 16)!)
            index = next
        }
        return bytes
    }
}

/// Crafted pickles: every limit and refusal, and the opcodes CPython's data pickles above do not use.
@Suite struct RestrictedUnpicklerHostileTests {
    static func load(_ bytes: [UInt8], limits: RestrictedUnpickler.Limits = .init()) throws -> PickleGraph {
        try bytes.withUnsafeBytes { try RestrictedUnpickler.load($0, limits: limits).graph }
    }

    static func failure(_ bytes: [UInt8], limits: RestrictedUnpickler.Limits = .init()) throws -> String {
        try #require(throws: ModelFileError.self) { try load(bytes, limits: limits) }.message
    }

    static func text(_ source: String) -> [UInt8] { Array(source.utf8) }

    @Test func unknownOpcodeIsNamedWithItsOffset() throws {
        #expect(try Self.failure([0x80, 0x02, 0xFF]) == "pickle: unknown opcode 0xff at offset 2")
    }

    @Test func forbiddenGlobalsAreRefusedByName() throws {
        #expect(try Self.failure(Self.text("cos\nsystem\n(S'ls'\ntR.")) == "refusing pickle global os.system")
        // The same through STACK_GLOBAL (protocol 4).
        let stacked: [UInt8] = [0x80, 4, 0x8C, 2] + Self.text("os") + [0x8C, 6] + Self.text("system") + [0x93, 0x2E]
        #expect(try Self.failure(stacked) == "refusing pickle global os.system")
        #expect(try Self.failure(Self.text("cbuiltins\neval\n.")) == "refusing pickle global builtins.eval")
        #expect(try Self.failure(Self.text("cposix\nsystem\n.")) == "refusing pickle global posix.system")
        #expect(try Self.failure(Self.text("ctorch\nload\n.")) == "refusing pickle global torch.load")
        #expect(try Self.failure(Self.text("(ios\nsystem\nS'ls'\n.")) == "refusing pickle global os.system")
    }

    @Test func onlyGlobalsCanBeCalled() throws {
        #expect(try Self.failure([0x80, 2, 0x29, 0x29, 0x52, 0x2E]).contains("cannot call tuple of 0"))
    }

    @Test func memoAndStackLimits() throws {
        #expect(try Self.failure([0x80, 2, 0x68, 5, 0x2E]).contains("memo index 5 is not defined"))
        #expect(try Self.failure(Self.text("g7\n.")).contains("memo index 7 is not defined"))
        #expect(try Self.failure([0x80, 2, 0x61, 0x2E]).contains("stack underflow"))
        #expect(try Self.failure([0x80, 2, 0x74, 0x2E]).contains("MARK missing"))
        // REDUCE may not reach below the current MARK.
        #expect(try Self.failure([0x80, 2, 0x4E, 0x4E, 0x28, 0x52, 0x2E]).contains("stack underflow"))
        #expect(try Self.failure([0x80, 2, 0x4B, 1]).contains("ends without STOP"))
        #expect(try Self.failure([0x80, 2, 0x2E]).contains("stack underflow"))
    }

    @Test func deepNestingIsRefused() throws {
        let lists = [0x80, 2] + [UInt8](repeating: 0x5D, count: 1100) + [UInt8](repeating: 0x61, count: 1099) + [0x2E]
        #expect(try Self.failure(lists).contains("nesting deeper than 1000"))
        let tuples = [0x80, 2, 0x4E] + [UInt8](repeating: 0x85, count: 1500) + [0x2E]
        #expect(try Self.failure(tuples).contains("nesting deeper than 1000"))
        let marks = [0x80, 2] + [UInt8](repeating: 0x28, count: 5000) + [0x2E]
        #expect(try Self.failure(marks).contains("MARKs nested deeper than 1000"))
        // Exactly at the limit is fine.
        let deepest = [0x80, 2, 0x4E] + [UInt8](repeating: 0x85, count: 1000) + [0x2E]
        #expect(try Self.load(deepest).containers.count == 1000)
    }

    @Test func objectCountIsLimited() throws {
        let many = [0x80, 2, 0x28] + [UInt8](repeating: 0x4E, count: 50) + [0x6C, 0x2E]
        #expect(try Self.failure(many, limits: .init(maxObjects: 20)).contains("more than 20 objects"))
        #expect(try Self.load(many).containers[0].items.count == 50)
    }

    @Test func claimedLengthsAreCheckedAgainstBytesPresent() throws {
        #expect(try Self.failure([0x80, 2, 0x58, 0xFF, 0xFF, 0xFF, 0x7F, 0x2E]).contains("claims 2147483647 bytes but only 1"))
        let huge8: [UInt8] = [0x80, 4, 0x8D] + [UInt8](repeating: 0xFF, count: 8) + [0x2E]
        #expect(try Self.failure(huge8).contains("claims 18446744073709551615 bytes"))
        #expect(try Self.failure([0x80, 2, 0x42, 0, 0, 0, 1, 0x2E]).contains("claims 16777216 bytes"))
        #expect(try Self.failure([0x80, 2, 0x8B, 0xFF, 0xFF, 0, 0, 0x2E]).contains("LONG4 of 65535 bytes exceeds"))
        #expect(try Self.failure([0x80, 2, 0x8C, 2, 0xC3, 0x28, 0x2E]).contains("not valid UTF-8"))
        #expect(try Self.failure([0x80, 4, 0x95, 0xFF, 0, 0, 0, 0, 0, 0, 0]).contains("claims 255 bytes"))
    }

    @Test func mutationsOnlyOnTheRightContainers() throws {
        #expect(try Self.failure([0x80, 2, 0x5D, 0x4E, 0x62, 0x2E]).contains("BUILD on list of 0 is not allowed"))
        #expect(try Self.failure([0x80, 2, 0x7D, 0x4E, 0x61, 0x2E]).contains("APPEND needs a list"))
        #expect(try Self.failure([0x80, 2, 0x5D, 0x4E, 0x4E, 0x73, 0x2E]).contains("SETITEM needs a container"))
        #expect(try Self.failure([0x80, 2, 0x4E, 0x51, 0x2E]).contains("persistent id None is not a storage"))
    }

    @Test func dictsKeepOrderAndReplaceRepeatedKeysInPlace() throws {
        // {} ( 'b' 1 'a' 2 'b' 3 u  →  {'b': 3, 'a': 2}
        var pickle = PickleBuilder()
        pickle.op(0x7D); pickle.mark()
        pickle.string("b"); pickle.int(1); pickle.string("a"); pickle.int(2); pickle.string("b"); pickle.int(3)
        pickle.op(0x75); pickle.stop()
        #expect(PickleRendering.render(try Self.load(pickle.bytes)) == "{b: 3, a: 2}")
        // DICT 'd' builds a real dict from the items above its MARK.
        #expect(PickleRendering.render(try Self.load(Self.text("(S'k'\nI5\nd."))) == "{k: 5}")
    }

    @Test func memoizedContainersAreShared() throws {
        // l = []; (l, l) with l appended to after both references exist, as Python's memo would do it.
        let bytes: [UInt8] = [0x80, 2, 0x5D, 0x71, 0, 0x68, 0, 0x86, 0x68, 0, 0x4B, 9, 0x61, 0x30, 0x2E]
        #expect(PickleRendering.render(try Self.load(bytes)) == "([9], [9])")
    }

    @Test func callsStaySymbolicAndNewObjExKeepsKeywords() throws {
        // NEWOBJ_EX(torch.device, ('cpu',), {'index': 0}) and PERSID's text form.
        var pickle = PickleBuilder()
        pickle.global("torch", "device"); pickle.mark(); pickle.string("cpu"); pickle.op(0x74)
        pickle.op(0x7D); pickle.string("index"); pickle.int(0); pickle.op(0x73)
        pickle.op(0x92); pickle.stop()
        let graph = try Self.load(pickle.bytes)
        let call = try #require(graph.container(graph.root))
        #expect(call.kind == .call(module: "torch", name: "device"))
        #expect(call.items == [.string("cpu")] && call.keys == [.string("index")] && call.values == [.int(0)])
        #expect(PickleRendering.render(try Self.load(Self.text("P7\n."))) == "persistent('7')")
    }
}
