import Testing
@testable import FileFormats
@testable import ModelFiles

@Suite struct SpecParserTests {
    private let here = SpecLocation.start

    private func parse(_ source: String) throws -> SpecDocument {
        try SpecParser.parse(source, file: "t.nn")
    }

    /// The full `file:line:column: message` of parsing `source`, or nil if it parsed.
    private func failure(_ source: String, limits: SpecLimits = .standard) -> String? {
        do {
            _ = try SpecParser.parse(source, file: "t.nn", limits: limits)
            return nil
        } catch {
            return error.description
        }
    }

    private func at(_ line: Int, _ column: Int) -> SpecLocation { SpecLocation(line: line, column: column) }

    // MARK: - Accepted forms

    @Test func theBooksTiedNetwork() throws {
        let document = try parse("""
            # the book's tied network
            shared = LazyLinear(8)
            model = Sequential(LazyLinear(8), ReLU(), shared, ReLU(), shared, ReLU(), LazyLinear(1))
            input = rand(2, 4)
            """)
        #expect(document.statements.map(\.name) == ["shared", "model", "input"])
        #expect(document.statements[0].location == at(2, 1))
        #expect(document.statement(named: "shared")?.value
                == .call(name: "LazyLinear", positional: [.integer(8, location: at(2, 21))], keyword: [],
                         location: at(2, 10)))
        guard case .call("Sequential", let children, [], at(3, 9)) = document.statement(named: "model")?.value else {
            Issue.record("model is not a Sequential call")
            return
        }
        #expect(children.count == 7)
        #expect(children[2] == .name("shared", location: at(3, 43)))
        #expect(children[4] == .name("shared", location: at(3, 59)))
        #expect(document.statement(named: "input")?.value
                == .call(name: "rand", positional: [.integer(2, location: at(4, 14)), .integer(4, location: at(4, 17))],
                         keyword: [], location: at(4, 9)))
    }

    @Test func keywordArgumentsKeepTheirOrderAndValues() throws {
        let document = try parse("""
            model = Sequential(hidden=LazyLinear(256), act=ReLU(), out=Linear(256, 10, bias=false))
            lr = 1e-3
            seed = -7
            loss = "cross-entropy"
            """)
        guard case .call(_, let positional, let keyword, _) = document.statements[0].value else {
            Issue.record("not a call")
            return
        }
        #expect(positional.isEmpty)
        #expect(keyword.map(\.name) == ["hidden", "act", "out"])
        #expect(keyword[0].location == at(1, 20))
        guard case .call("Linear", let linearPositional, let linearKeyword, _) = keyword[2].value else {
            Issue.record("out is not a Linear call")
            return
        }
        #expect(linearPositional == [.integer(256, location: at(1, 67)), .integer(10, location: at(1, 72))])
        #expect(linearKeyword == [SpecKeywordArgument(name: "bias", location: at(1, 76),
                                                      value: .bool(false, location: at(1, 81)))])
        #expect(document.statements[1].value == .float(1e-3, location: at(2, 6)))
        #expect(document.statements[2].value == .integer(-7, location: at(3, 8)))
        #expect(document.statements[3].value == .string("cross-entropy", location: at(4, 8)))
    }

    @Test func booleansInBothSpellingsAndNegativeFloats() throws {
        let document = try parse("model = L(a=true, b=True, c=false, d=False, e=-0.25)")
        guard case .call(_, _, let keyword, _) = document.statements[0].value else {
            Issue.record("not a call")
            return
        }
        #expect(keyword.map(\.value) == [
            .bool(true, location: at(1, 13)), .bool(true, location: at(1, 21)), .bool(false, location: at(1, 29)),
            .bool(false, location: at(1, 38)), .float(-0.25, location: at(1, 47)),
        ])
    }

    @Test func multiLineExpressionsWithCommentsAndTrailingCommas() throws {
        let document = try parse("""
            model = Sequential(   # the body
                LazyLinear(8),    # first
                ReLU(),
                Linear(
                    8,
                    1,
                ),
            )

            target = [1, 0,]
            input = ones(2, 8,)
            """)
        #expect(document.statements.map(\.name) == ["model", "target", "input"])
        #expect(document.statements.map(\.location) == [at(1, 1), at(10, 1), at(11, 1)])
        guard case .call(_, let children, _, _) = document.statements[0].value else {
            Issue.record("not a call")
            return
        }
        #expect(children.count == 3)
        #expect(children[2] == .call(name: "Linear", positional: [.integer(8, location: at(5, 9)),
                                                                   .integer(1, location: at(6, 9))],
                                     keyword: [], location: at(4, 5)))
        #expect(document.statements[1].value
                == .list([.integer(1, location: at(10, 11)), .integer(0, location: at(10, 14))], location: at(10, 10)))
    }

    @Test func multiLineKeywordArgumentsAreNotMistakenForStatements() throws {
        let document = try parse("""
            model = Sequential(
                hidden=LazyLinear(4),
                out=LazyLinear(1)
            )
            """)
        guard case .call(_, _, let keyword, _) = document.statements[0].value else {
            Issue.record("not a call")
            return
        }
        #expect(keyword.map(\.name) == ["hidden", "out"])
    }

    @Test func bareLossWordsAreNotReferences() throws {
        let document = try parse("model = ReLU()\nloss = mse")
        #expect(document.statement(named: "loss")?.value == .name("mse", location: at(2, 8)))
    }

    @Test func emptyCallsAndBlankLines() throws {
        let document = try parse("\n\n  model = Identity()  \n\n")
        #expect(document.statements == [SpecStatement(name: "model", location: at(3, 3),
                                                      value: .call(name: "Identity", positional: [], keyword: [],
                                                                   location: at(3, 11)))])
    }

    // MARK: - Syntax errors

    @Test func unclosedParenthesisAtTheEndOfTheFile() {
        #expect(failure("model = Sequential(ReLU(), ReLU()")
                == "t.nn:1:19: unbalanced parenthesis: '(' is never closed")
        #expect(failure("model = Sequential(\n  ReLU(),\n")
                == "t.nn:1:19: unbalanced parenthesis: '(' is never closed")
    }

    @Test func unclosedParenthesisBeforeTheNextStatement() {
        #expect(failure("model = Sequential(LazyLinear(8), ReLU()\ninput = rand(2, 4)")
                == "t.nn:1:19: unbalanced parenthesis: '(' is never closed")
        #expect(failure("model = Sequential(LazyLinear(8\ninput = rand(2, 4)")
                == "t.nn:1:30: unbalanced parenthesis: '(' is never closed")
    }

    @Test func extraClosingParenthesis() {
        #expect(failure("model = ReLU())") == "t.nn:1:15: unbalanced parenthesis: ')' has no matching opening one")
        #expect(failure(")") == "t.nn:1:1: unbalanced parenthesis: ')' has no matching opening one")
    }

    @Test func mismatchedBrackets() {
        #expect(failure("model = f([1, 2)") == "t.nn:1:16: expected ']' to close '[' at 1:11, found ')'")
    }

    @Test func missingCommaBetweenArguments() {
        #expect(failure("model = Linear(4 8)") == "t.nn:1:18: expected ',' or ')' in the arguments of Linear, found number 8")
        #expect(failure("model = f([1 2])") == "t.nn:1:14: expected ',' or ']' in a list, found number 2")
    }

    @Test func statementShapeErrors() {
        #expect(failure("model ReLU()") == "t.nn:1:7: expected '=' after 'model', found name 'ReLU'")
        #expect(failure("model =\ninput = 1") == "t.nn:1:8: expected a value after 'model =', found end of line")
        #expect(failure("= 3") == "t.nn:1:1: expected a statement 'NAME = value', found '='")
        #expect(failure("model = ReLU() ReLU()")
                == "t.nn:1:16: expected the end of the line after the value of 'model', found name 'ReLU'")
        #expect(failure("model = ,") == "t.nn:1:9: expected a value, found ','")
        #expect(failure("model = Linear(4, -x)") == "t.nn:1:20: expected a number after '-', found name 'x'")
    }

    @Test func keywordArgumentErrors() {
        #expect(failure("model = Linear(4, 8, bias=false, bias=true)")
                == "t.nn:1:34: keyword argument 'bias' is given twice (first at 1:22)")
        #expect(failure("model = Linear(in_features=4, 8)")
                == "t.nn:1:31: positional argument after keyword argument 'in_features'")
        #expect(failure("model = Linear(4, bias=)") == "t.nn:1:24: expected a value, found ')'")
    }

    @Test func nestingDepthIsLimited() {
        let deep = "model = " + String(repeating: "A(", count: 65) + String(repeating: ")", count: 65)
        #expect(failure(deep) == "t.nn:1:138: calls and lists are nested deeper than the limit of 64")
        let ok = "model = " + String(repeating: "A(", count: 64) + String(repeating: ")", count: 64)
        #expect(failure(ok) == nil)
        // Far deeper than the stack would survive without the limit.
        let hostile = "model = " + String(repeating: "[", count: 100_000)
        #expect(failure(hostile, limits: SpecLimits(maxLineLength: 200_000))?
                    .hasSuffix("nested deeper than the limit of 64") == true)
    }

    @Test func statementCountIsLimited() {
        let source = (1...4).map { "x\($0) = \($0)" }.joined(separator: "\n") + "\nmodel = ReLU()"
        #expect(failure(source, limits: SpecLimits(maxStatements: 4)) == "t.nn:5:1: more than 4 statements")
        #expect(failure(source, limits: SpecLimits(maxStatements: 5)) == nil)
    }

    // MARK: - Name errors

    @Test func nameUsedBeforeItIsDefined() {
        #expect(failure("model = Sequential(shared, ReLU())\nshared = LazyLinear(8)")
                == "t.nn:1:20: 'shared' is used before it is defined (at 2:1)")
    }

    @Test func unknownNameSuggestsACloseOne() {
        #expect(failure("shared = LazyLinear(8)\nmodel = Sequential(shraed)")
                == "t.nn:2:20: unknown name 'shraed' (did you mean 'shared'?)")
        #expect(failure("model = Sequential(zzz)") == "t.nn:1:20: unknown name 'zzz'")
        #expect(failure("model = Sequential(ReLU)")
                == "t.nn:1:20: unknown name 'ReLU' (a layer is made by calling it: ReLU(…))")
    }

    @Test func selfReference() {
        #expect(failure("model = Sequential(ReLU(), model)") == "t.nn:1:28: 'model' refers to itself in its own definition")
        #expect(failure("model = ReLU()\nx = f(k=x)") == "t.nn:2:9: 'x' refers to itself in its own definition")
    }

    @Test func redefinition() {
        #expect(failure("a = ReLU()\nmodel = a\na = Tanh()")
                == "t.nn:3:1: 'a' is defined twice (first at 1:1); use a new name, or reuse 'a' to share the module")
    }

    @Test func missingModel() {
        #expect(failure("shared = LazyLinear(8)\ninput = rand(2, 4)")
                == "t.nn:3:1: expected a 'model = …' statement; this file defines no model")
        #expect(failure("# nothing\n") == "t.nn:1:1: expected a 'model = …' statement; this file defines no model")
    }
}
