import Testing
@testable import Explorer

/// RenderCaches alone: values are computed once, and again after the model changed.
struct RenderCachesTests {
    @Test func aValueIsComputedOnceUntilTheModelChanges() {
        var caches = RenderCaches()
        var computed = 0
        func norm() -> Float? { computed += 1; return 2 }
        let norms = [caches.gradNorm(entry: 3, norm), caches.gradNorm(entry: 3, norm)]
        #expect(norms == [2, 2])
        #expect(computed == 1)
        caches.modelChanged()
        let afterChange = caches.gradNorm(entry: 3, norm)
        #expect(afterChange == 2)
        #expect(computed == 2)
    }

    @Test func aMissingValueIsCachedToo() {
        var caches = RenderCaches()
        var computed = 0
        let first = caches.gradNorm(entry: 0) { computed += 1; return nil }
        let second = caches.gradNorm(entry: 0) { computed += 1; return 1 }
        #expect(first == nil && second == nil, "no gradient stays no gradient")
        #expect(computed == 1)
    }

    @Test func everyKindOfValueIsDroppedOnAChange() {
        var caches = RenderCaches()
        let totals = [caches.parameterTotals { (10, 8, 1) }, caches.parameterTotals { (0, 0, 0) }].map(\.total)
        #expect(totals == [10, 10])
        let counts = [caches.aggregate(node: 1) { SubtreeAggregate(count: 5) },
                      caches.aggregate(node: 1) { SubtreeAggregate(count: 6) }].map(\.count)
        #expect(counts == [5, 5])
        let key = StatsKey(entry: 0, showing: .value, slice: 0)
        var statsComputed = 0
        _ = caches.stats(key) { statsComputed += 1; return nil }
        _ = caches.stats(key) { statsComputed += 1; return nil }
        #expect(statsComputed == 1)
        let version = caches.modelVersion
        caches.modelChanged()
        #expect(caches.modelVersion == version + 1)
        let totalAfter = caches.parameterTotals { (0, 0, 0) }.total
        let countAfter = caches.aggregate(node: 1) { SubtreeAggregate(count: 6) }.count
        _ = caches.stats(key) { statsComputed += 1; return nil }
        #expect(totalAfter == 0 && countAfter == 6 && statsComputed == 2)
    }
}
