/// The 1,000 ImageNet-1k class names, exactly as torchvision's `weights.meta["categories"]` spells them
/// (index 285 is "Egyptian cat"). Shipped as source, so the binary needs no data file.
public enum ImageNetClasses {
    /// The number of classes.
    public static var count: Int { names.count }

    /// The name of class `index`, or nil outside 0..<1000.
    public static func name(forIndex index: Int) -> String? {
        names.indices.contains(index) ? names[index] : nil
    }
}
