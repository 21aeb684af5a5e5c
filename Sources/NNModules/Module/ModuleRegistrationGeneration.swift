import Synchronization

/// A process-wide counter advanced by every child or parameter registration, in any module tree.
///
/// Caches derived from a tree's structure (the parameter list `zeroGrad()` walks on every training step) store
/// the generation they were built at and rebuild when it moved: a registration deep inside a subtree reaches
/// every ancestor's cache without the child knowing its parents. A global atomic rather than per-tree state
/// because one module may sit in several trees.
enum ModuleRegistrationGeneration {
    private static let counter = Atomic<UInt64>(0)

    /// The current generation.
    static var current: UInt64 { counter.load(ordering: .acquiring) }

    /// Marks every structure-derived cache as stale.
    static func advance() {
        counter.add(1, ordering: .releasing)
    }
}
