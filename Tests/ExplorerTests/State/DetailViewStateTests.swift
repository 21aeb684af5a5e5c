import Testing
@testable import Explorer

/// DetailViewState alone.
struct DetailViewStateTests {
    @Test func eachTensorKeepsItsOwnView() {
        var detail = DetailViewState()
        #expect(detail.view(of: 3).zoom == 0)
        var view = detail.view(of: 3)
        view.zoom = 2
        view.cursor = GridPoint(row: 1, col: 4)
        detail.views[3] = view
        #expect(detail.view(of: 3).zoom == 2 && detail.view(of: 3).cursor == GridPoint(row: 1, col: 4))
        #expect(detail.view(of: -1).zoom == 0, "another entry starts at the default view")
    }

    @Test func theEditScopeCyclesTensorRowColumn() {
        var detail = DetailViewState()
        var seen: [EditScope] = []
        for _ in 0 ..< 4 {
            seen.append(detail.editScope)
            detail.cycleEditScope()
        }
        #expect(seen == [.tensor, .row, .column, .tensor])
    }

    @Test func valuesAndGradientsToggle() {
        var detail = DetailViewState()
        detail.toggleShowing()
        #expect(detail.showing == .gradient)
        detail.toggleShowing()
        #expect(detail.showing == .value)
    }

    @Test func theMeanComesAfterTheLastHeadAndKeepsTheHead() {
        var detail = DetailViewState()
        detail.showAttention(position: 2, of: 4)
        #expect(detail.attentionHead == 2 && !detail.attentionShowsMean)
        detail.showAttention(position: 4, of: 4)
        #expect(detail.attentionShowsMean && detail.attentionHead == 2)
        detail.showAttention(position: 0, of: 4)
        #expect(!detail.attentionShowsMean && detail.attentionHead == 0)
    }

    @Test func theHeatmapCapacityIsAtLeastOneCell() {
        var detail = DetailViewState()
        detail.setHeatmapCapacity(rows: 0, cols: -3)
        #expect(detail.heatmapCapacity == GridPoint(row: 1, col: 1))
        detail.setHeatmapCapacity(rows: 10, cols: 20)
        #expect(detail.heatmapCapacity == GridPoint(row: 10, col: 20))
    }
}
