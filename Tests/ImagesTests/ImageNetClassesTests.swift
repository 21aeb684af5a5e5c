import Testing
import Images

@Suite struct ImageNetClassesTests {
    @Test func namesAreTorchvisionsCategories() {
        #expect(ImageNetClasses.count == 1000)
        #expect(ImageNetClasses.name(forIndex: 0) == "tench")
        #expect(ImageNetClasses.name(forIndex: 281) == "tabby")
        #expect(ImageNetClasses.name(forIndex: 282) == "tiger cat")
        #expect(ImageNetClasses.name(forIndex: 285) == "Egyptian cat")
        #expect(ImageNetClasses.name(forIndex: 287) == "lynx")
        #expect(ImageNetClasses.name(forIndex: 728) == "plastic bag")
        #expect(ImageNetClasses.name(forIndex: 999) == "toilet tissue")
    }

    @Test func anIndexOutsideTheClassesHasNoName() {
        #expect(ImageNetClasses.name(forIndex: -1) == nil)
        #expect(ImageNetClasses.name(forIndex: 1000) == nil)
    }
}
