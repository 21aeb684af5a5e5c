/// One edit as its inverse: which elements of which tensor changed, from what to what. Undo writes `oldValues`
/// back, redo writes `newValues` again.
struct EditRecord {
    /// The tensor entry edited.
    let entry: Int
    /// Flat row-major indices of the changed elements.
    let indices: [Int]
    let oldValues: [Float]
    let newValues: [Float]
    /// For the status line ("fill 2.weight row 3 with 0").
    let label: String
}
