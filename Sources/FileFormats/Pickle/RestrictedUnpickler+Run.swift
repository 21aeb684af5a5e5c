extension RestrictedUnpickler {
    /// The opcode loop: one iteration per opcode until STOP.
    mutating func run() throws -> PickleValue {
        typealias Op = PickleOpcode
        while true {
            opcodeOffset = position
            opcodeName = "start"
            guard position < bytes.count else { throw failure("pickle ends without STOP") }
            let opcode = bytes[position]
            position += 1
            guard let name = Op.names[opcode] else {
                opcodeName = "opcode"
                throw ModelFileError("pickle: unknown opcode 0x\(String(opcode, radix: 16)) at offset \(opcodeOffset)")
            }
            opcodeName = name
            switch opcode {
            case Op.proto:
                let version = try readByte()
                guard version <= 5 else { throw failure("unsupported protocol \(version)") }
            case Op.frame:
                _ = try readLength(8)
            case Op.stop:
                let result = try pop()
                return result
            case Op.mark:
                guard marks.count < limits.maxDepth else { throw failure("MARKs nested deeper than \(limits.maxDepth)") }
                marks.append(stack.count)
            case Op.pop:
                if let mark = marks.last, mark == stack.count {
                    marks.removeLast()  // Python's POP discards a MARK on top
                } else {
                    _ = try pop()
                }
            case Op.popMark:
                _ = try popMark()
            case Op.dup:
                try push(try top())

            // Scalars
            case Op.none: try push(.none)
            case Op.newTrue: try push(.bool(true))
            case Op.newFalse: try push(.bool(false))
            case Op.binInt: try push(.int(Int(Int32(bitPattern: UInt32(try readLittleEndian(4))))))
            case Op.binInt1: try push(.int(Int(try readByte())))
            case Op.binInt2: try push(.int(Int(try readLittleEndian(2))))
            case Op.long1:
                let count = Int(try readByte())
                try push(try littleEndianInteger(try readBytes(count)))
            case Op.long4:
                let count = Int(Int32(bitPattern: UInt32(try readLittleEndian(4))))
                guard count >= 0, count <= limits.maxLongBytes else {
                    throw failure("LONG4 of \(count) bytes exceeds the limit of \(limits.maxLongBytes)")
                }
                try push(try littleEndianInteger(try readBytes(count)))
            case Op.int:
                let text = try asciiLine()
                if text == "01" { try push(.bool(true)) } else if text == "00" { try push(.bool(false)) } else {
                    try push(try decimalInteger(text))
                }
            case Op.long:
                var text = try asciiLine()
                if text.hasSuffix("L") { text.removeLast() }
                try push(try decimalInteger(text))
            case Op.float:
                let text = try asciiLine()
                guard let value = Double(text.trimming(" ")) else { throw failure("bad float \(text)") }
                try push(.float(value))
            case Op.binFloat:
                try push(.float(Double(bitPattern: try readBigEndian64())))

            // Strings and bytes
            case Op.binUnicode: try push(.string(try readUTF8(try readLength(4))))
            case Op.shortBinUnicode: try push(.string(try readUTF8(try readLength(1))))
            case Op.binUnicode8: try push(.string(try readUTF8(try readLength(8))))
            case Op.unicode: try push(.string(try rawUnicodeEscape(try readLine())))
            case Op.binBytes: try push(.bytes(Array(try readBytes(try readLength(4)))))
            case Op.shortBinBytes: try push(.bytes(Array(try readBytes(try readLength(1)))))
            case Op.binBytes8, Op.byteArray8: try push(.bytes(Array(try readBytes(try readLength(8)))))
            case Op.binString:
                let count = Int(Int32(bitPattern: UInt32(try readLittleEndian(4))))
                guard count >= 0 else { throw failure("negative string length") }
                try push(.string(latin1(try readBytes(count))))
            case Op.shortBinString: try push(.string(latin1(try readBytes(try readLength(1)))))
            case Op.string: try push(.string(try quotedString(try readLine())))

            // Containers
            case Op.emptyTuple: try push(try makeContainer(.tuple))
            case Op.tuple: let items = try popMark(); try push(try makeContainer(.tuple, items: items))
            case Op.tuple1, Op.tuple2, Op.tuple3:
                let count = Int(opcode - Op.tuple1) + 1
                var items: [PickleValue] = []
                for _ in 0 ..< count { items.append(try pop()) }
                try push(try makeContainer(.tuple, items: items.reversed()))
            case Op.emptyList: try push(try makeContainer(.list))
            case Op.list: let items = try popMark(); try push(try makeContainer(.list, items: items))
            case Op.append: let item = try pop(); try appendItems([item], to: try top())
            case Op.appends: let items = try popMark(); try appendItems(items, to: try top())
            case Op.emptyDict: try push(try makeContainer(.dict))
            case Op.dict:
                let items = try popMark()
                let dict = try makeContainer(.dict)
                try setItems(items, in: dict)
                try push(dict)
            case Op.setItem:
                let value = try pop()
                let key = try pop()
                try setItems([key, value], in: try top())
            case Op.setItems: let items = try popMark(); try setItems(items, in: try top())
            case Op.emptySet: try push(try makeContainer(.set))
            case Op.addItems: let items = try popMark(); try addSetItems(items, to: try top())
            case Op.frozenSet: let items = try popMark(); try push(try makeContainer(.frozenSet, items: items))

            // Memo
            case Op.get: try push(try memoGet(try decimalIndex()))
            case Op.binGet: try push(try memoGet(Int(try readByte())))
            case Op.longBinGet: try push(try memoGet(Int(try readLittleEndian(4))))
            case Op.put: try memoPut(try decimalIndex())
            case Op.binPut: try memoPut(Int(try readByte()))
            case Op.longBinPut: try memoPut(Int(try readLittleEndian(4)))
            case Op.memoize: try memoPut(memo.count)

            // Globals, calls, persistent ids
            case Op.global:
                let module = try asciiLine()
                let name = try asciiLine()
                try pushGlobal(module: module, name: name)
            case Op.stackGlobal:
                let name = try pop()
                let module = try pop()
                guard case .string(let moduleText) = module, case .string(let nameText) = name else {
                    throw failure("STACK_GLOBAL needs two strings")
                }
                try pushGlobal(module: moduleText, name: nameText)
            case Op.inst:
                let module = try asciiLine()
                let name = try asciiLine()
                let items = try popMark()
                try pushGlobal(module: module, name: name)
                let callable = try pop()
                let arguments = try makeContainer(.tuple, items: items)
                try push(try call(callable, arguments: arguments))
            case Op.obj:
                var items = try popMark()
                guard !items.isEmpty else { throw failure("OBJ without a class") }
                let callable = items.removeFirst()
                let arguments = try makeContainer(.tuple, items: items)
                try push(try call(callable, arguments: arguments))
            case Op.reduce, Op.newObj:
                let arguments = try pop()
                let callable = try pop()
                try push(try call(callable, arguments: arguments))
            case Op.newObjEx:
                let keywords = try pop()
                let arguments = try pop()
                let callable = try pop()
                try push(try call(callable, arguments: arguments, keywords: keywords))
            case Op.build:
                let state = try pop()
                try build(try top(), state: state)
            case Op.persID:
                let id = try asciiLine()
                try push(try makeContainer(.persistentID, items: [.string(id)]))
            case Op.binPersID:
                let id = try pop()
                try checkPersistentID(id)
                try push(try makeContainer(.persistentID, items: [id]))
            case Op.readonlyBuffer:
                _ = try top()
            case Op.ext1, Op.ext2, Op.ext4, Op.nextBuffer:
                throw failure("opcode \(name) (extension registry / out-of-band buffers) is not supported")
            default:
                throw ModelFileError("pickle: unknown opcode 0x\(String(opcode, radix: 16)) at offset \(opcodeOffset)")
            }
        }
    }

    /// torch accepts a persistent id only as a `('storage', …)` tuple or an int.
    func checkPersistentID(_ id: PickleValue) throws {
        if case .int = id { return }
        if case .container(let index) = id, containers[index].kind == .tuple,
           containers[index].items.first == .string("storage") { return }
        throw failure("persistent id \(describe(id)) is not a storage")
    }

    mutating func readBigEndian64() throws -> UInt64 {
        let raw = try readBytes(8)
        return raw.reduce(0) { $0 << 8 | UInt64($1) }
    }

    mutating func asciiLine() throws -> String {
        var line = try readLine()
        if line.last == 0x0D { line.removeLast() }
        guard line.allSatisfy({ $0 < 0x80 }) else { throw failure("line is not ASCII") }
        return String(decoding: line, as: UTF8.self)
    }

    mutating func decimalIndex() throws -> Int {
        let text = try asciiLine()
        guard let index = Int(text), index >= 0 else { throw failure("bad memo index \(text)") }
        return index
    }

    /// A little-endian two's complement integer (LONG1/LONG4), sign-extended.
    func littleEndianInteger(_ raw: UnsafeRawBufferPointer) throws -> PickleValue {
        guard !raw.isEmpty else { return .int(0) }
        let negative = raw[raw.count - 1] & 0x80 != 0
        let fill: UInt8 = negative ? 0xFF : 0
        // It fits in Int when every byte past the eighth is sign extension of the eighth's top bit.
        let fits = raw.count <= 8 || (raw[8...].allSatisfy { $0 == fill } && (raw[7] & 0x80 != 0) == negative)
        guard fits else { return .bigInt(Self.minimalTwosComplement(Array(raw))) }
        var value = ByteReader.littleEndian(UnsafeRawBufferPointer(rebasing: raw.prefix(8)))
        if raw.count < 8 && negative {
            // The bits above the read bytes are zero; extend the sign into them.
            value |= UInt64.max << UInt64(raw.count * 8)
        }
        return .int(Int(Int64(bitPattern: value)))
    }

    /// INT/LONG text forms; values past 64 bits become `.bigInt`.
    func decimalInteger(_ text: String) throws -> PickleValue {
        let trimmed = text.trimming(" ")
        if let value = Int(trimmed) { return .int(value) }
        var digits = Substring(trimmed)
        let negative = digits.first == "-"
        if negative || digits.first == "+" { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.count <= limits.maxLongBytes * 3,
              digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw failure("bad integer \(text.prefix(40))") }
        var magnitude: [UInt8] = [0]  // little-endian
        for digit in digits.utf8 {
            var carry = Int(digit - 0x30)
            for index in magnitude.indices {
                let product = Int(magnitude[index]) * 10 + carry
                magnitude[index] = UInt8(product & 0xFF)
                carry = product >> 8
            }
            while carry > 0 { magnitude.append(UInt8(carry & 0xFF)); carry >>= 8 }
        }
        magnitude.append(0)  // room for the sign bit
        if negative {
            var carry = 1
            for index in magnitude.indices {
                let sum = Int(~magnitude[index]) + carry
                magnitude[index] = UInt8(sum & 0xFF)
                carry = sum >> 8
            }
        }
        return .bigInt(Self.minimalTwosComplement(magnitude))
    }

    /// Drops redundant sign bytes so equal integers have equal `.bigInt` payloads whatever their spelling.
    static func minimalTwosComplement(_ bytes: [UInt8]) -> [UInt8] {
        var bytes = bytes
        while bytes.count > 1 {
            let last = bytes[bytes.count - 1], previousNegative = bytes[bytes.count - 2] & 0x80 != 0
            guard (last == 0 && !previousNegative) || (last == 0xFF && previousNegative) else { break }
            bytes.removeLast()
        }
        return bytes
    }

    func latin1(_ raw: UnsafeRawBufferPointer) -> String {
        String(String.UnicodeScalarView(raw.map { Unicode.Scalar($0) }))
    }

    /// STRING's Python-repr form: `'text'` or `"text"` with backslash escapes.
    func quotedString(_ line: [UInt8]) throws -> String {
        var body = line
        if body.last == 0x0D { body.removeLast() }
        guard body.count >= 2, let quote = body.first, quote == 0x27 || quote == 0x22, body.last == quote else {
            throw failure("STRING is not quoted")
        }
        body = Array(body[1 ..< body.count - 1])
        var output: [UInt8] = []
        var index = 0
        while index < body.count {
            let byte = body[index]
            index += 1
            guard byte == 0x5C else { output.append(byte); continue }
            guard index < body.count else { throw failure("STRING ends in a backslash") }
            let escape = body[index]
            index += 1
            switch escape {
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "0") ... UInt8(ascii: "7"):
                var value = Int(escape - 0x30)
                var used = 1
                while used < 3, index < body.count, (0x30 ... 0x37).contains(body[index]) {
                    value = value * 8 + Int(body[index] - 0x30)
                    index += 1
                    used += 1
                }
                output.append(UInt8(value & 0xFF))
            case UInt8(ascii: "x"):
                guard index + 2 <= body.count,
                      let value = UInt8(String(decoding: body[index ..< index + 2], as: UTF8.self), radix: 16) else {
                    throw failure("bad \\x escape in STRING")
                }
                output.append(value)
                index += 2
            default: output.append(escape)  // \\, \', \"
            }
        }
        return output.withUnsafeBytes { latin1($0) }
    }

    /// UNICODE's raw-unicode-escape form: latin1 text with `\uXXXX` and `\UXXXXXXXX`.
    func rawUnicodeEscape(_ line: [UInt8]) throws -> String {
        var scalars = String.UnicodeScalarView()
        var index = 0
        while index < line.count {
            let byte = line[index]
            if byte == 0x5C, index + 1 < line.count, line[index + 1] == UInt8(ascii: "u") || line[index + 1] == UInt8(ascii: "U") {
                let width = line[index + 1] == UInt8(ascii: "u") ? 4 : 8
                guard index + 2 + width <= line.count,
                      let code = UInt32(String(decoding: line[index + 2 ..< index + 2 + width], as: UTF8.self), radix: 16),
                      let scalar = Unicode.Scalar(code) else { throw failure("bad \\u escape in UNICODE") }
                scalars.append(scalar)
                index += 2 + width
            } else {
                scalars.append(Unicode.Scalar(byte))
                index += 1
            }
        }
        return String(scalars)
    }
}

private extension String {
    func trimming(_ character: Character) -> String {
        var text = Substring(self)
        while text.first == character { text.removeFirst() }
        while text.last == character { text.removeLast() }
        return String(text)
    }
}
