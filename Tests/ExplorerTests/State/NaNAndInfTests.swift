import Testing
import NNCore
import TerminalUI
@testable import Explorer

/// NaN and Inf are never hidden (issue 15 §2): statistics over them are what PyTorch gives, the finite-only
/// figures are beside them and labelled, one spelling everywhere, typed overflow stored with a note.
@Suite struct NaNAndInfTests {
    func stats(_ values: [Float]) -> TensorStats {
        var accumulator = StatisticsAccumulator()
        accumulator.add(values)
        return accumulator.stats(isSampled: false)
    }

    @Test func aNaNMakesEveryFigureNaNAndTheFiniteOnesStandBeside() {
        // torch.tensor([1., nan, 3.]): min, max, mean, std and norm are all nan.
        let s = stats([1, .nan, 3])
        #expect(s.min.isNaN && s.max.isNaN && s.mean.isNaN && s.std.isNaN && s.norm.isNaN)
        #expect(s.nanCount == 1 && s.count == 3)
        let finite = try! #require(s.finite)
        #expect(finite.count == 2 && finite.min == 1 && finite.max == 3 && finite.mean == 2)
        #expect(abs(finite.norm - Float(10).squareRoot()) < 1e-6)
    }

    @Test func anInfIsTheMaxTheMeanAndTheNorm() {
        // torch.tensor([1., inf, -2.]): max inf, min -2, mean inf, norm inf, std nan.
        let s = stats([1, .infinity, -2])
        #expect(s.max == .infinity && s.min == -2 && s.mean == .infinity && s.norm == .infinity && s.std.isNaN)
        #expect(s.finite?.max == 1 && s.infCount == 1)
        // Both signs: the mean is inf + -inf = nan; min and max are the infinities.
        let both = stats([.infinity, -.infinity, 0])
        #expect(both.mean.isNaN && both.min == -.infinity && both.max == .infinity && both.norm == .infinity)
        let allNaN = stats([.nan, .nan])
        #expect(allNaN.finite?.count == 0 && allNaN.norm.isNaN)
    }

    @Test func finiteValuesHaveNoSeparateFigures() throws {
        let s = stats([-1, 0, 2])
        #expect(s.finite == nil && s.min == -1 && s.max == 2 && s.zeros == 1)
        #expect(TensorStatistics.norm(of: try Tensor([3, 4], shape: [2])) == 5)
        #expect(TensorStatistics.norm(of: try Tensor([3, .nan], shape: [2])).isNaN)
        #expect(TensorStatistics.norm(of: try Tensor([3, -.infinity], shape: [2])) == .infinity)
    }

    @Test func aGradientOfNaNShowsNaNInTheTreeTheStatsAndTheLegend() throws {
        let harness = try RenderHarness(width: 120, height: 40)
        try harness.press("f / text:0.weight Enter Tab o F text:inf Enter b")
        let state = harness.state
        // Every gradient that holds a NaN shows a NaN norm in the tree's ∇ column.
        var sawNaN = false
        for row in 0 ..< state.tree.rowCount {
            let treeRow = state.tree.row(at: row)
            guard let norm = treeRow.gradNorm, let entry = state.entries.first(where: { $0.names.contains(treeRow.path) }),
                  let grad = entry.tensor?.grad else { continue }
            if grad.toArray().contains(where: \.isNaN) {
                #expect(norm.isNaN, "\(treeRow.path): ∇ \(norm) over a gradient holding NaN")
                sawNaN = true
            }
        }
        #expect(sawNaN, "the inf row should make some gradient NaN")
        // The tied weight's gradient holds NaN and inf: its figures are NaN, the finite ones labelled beside.
        #expect(state.select(path: "2.weight"))
        // b shows gradients already; g only if it did not.
        let text = try harness.press(try tensorDetail(state).showing == .gradient ? "Tab Tab" : "g")
        let detail = try tensorDetail(state)
        #expect(detail.showing == .gradient)
        let s = try #require(detail.stats)
        #expect(s.min.isNaN && s.max.isNaN && s.mean.isNaN && s.norm.isNaN && s.nanCount > 0)
        #expect(s.finite.map { $0.count > 0 && $0.norm.isFinite } == true)
        #expect(text.contains("∇ NaN"))
        #expect(text.contains("norm  NaN"))
        #expect(text.contains("finite only ("))
        #expect(!text.contains("nan"), "one spelling: NaN")
    }

    @Test func aTensorWithNoFiniteValueSaysSoInsteadOfZeros() throws {
        let harness = try RenderHarness(width: 120, height: 40)
        let text = try harness.press("f / text:0.weight Enter Tab F text:nan Enter")
        let s = try #require(try tensorDetail(harness.state).stats)
        #expect(s.min.isNaN && s.max.isNaN && s.mean.isNaN && s.norm.isNaN && s.nanCount == 32)
        #expect(text.contains("finite only: none"))
        #expect(text.contains("no finite value"))
        #expect(!text.contains("-0 "))
        #expect(!text.contains("min   0"))
    }

    @Test func theValueViewShowsInfAsTheMaxAndTheFiniteMaxLabelled() throws {
        let harness = try RenderHarness(width: 120, height: 40)
        let text = try harness.press("f / text:0.weight Enter Tab o F text:inf Enter")
        let s = try #require(try tensorDetail(harness.state).stats)
        #expect(s.max == .infinity && s.norm == .infinity && s.infCount == 4)
        #expect(s.finite?.max.isFinite == true)
        #expect(text.contains("max   inf"))
        #expect(text.contains("finite only (28):"))
    }

    @Test func cursorStatusAndPromptSpellNaNAndInfOneWay() throws {
        let harness = try RenderHarness(width: 120, height: 40)
        var text = try harness.press("f / text:0.weight Enter Tab e text:-nan Enter")
        #expect(text.contains("value = NaN"))
        #expect(text.contains("= NaN"))
        #expect(!text.contains("nan"))
        text = try harness.press("e")
        #expect(text.contains("(now NaN)"))
        text = try harness.press("Escape l e text:-inf Enter")
        #expect(text.contains("value = -inf"))
    }

    @Test func overflowAndUnderflowAreStoredAsTheTypeGivesWithANote() throws {
        let state = try openBuiltin()
        try press(state, "f")
        #expect(state.select(path: "0.weight"))
        try press(state, "Tab e text:1e40 Enter")
        #expect(!state.status.isError)
        #expect(try tensorDetail(state).cursorValue == .infinity)
        #expect(state.status.text.contains("1e40 overflows F32: stored as inf"), "\(state.status.text)")
        try press(state, "e text:1e-50 Enter")
        #expect(try tensorDetail(state).cursorValue == 0)
        #expect(state.status.text.contains("1e-50 underflows F32: stored as 0"), "\(state.status.text)")
    }
}
