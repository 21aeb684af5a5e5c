import Synchronization

/// The state-dict layouts `VisionArchitecture.layout(of:)` has built, shared by every thread.
final class LayoutCache: Sendable {
    static let shared = LayoutCache()
    let layouts = Mutex<[VisionArchitectureName: [(name: String, shape: [Int])]]>([:])
}
