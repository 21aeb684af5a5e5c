/// Settings the explorer starts with (from the command line).
public struct ExplorerOptions: Sendable {
    /// The theme to start with.
    public var themeName: String
    /// The themes `t` cycles through, in order.
    public var themeNames: [String]
    /// Draw with ASCII only (the renderer reads it; the state only carries it).
    public var ascii: Bool
    /// Where `w` saves; nil means `<name>.edited.safetensors` next to the source.
    public var savePath: String?
    /// Seed for new input batches, generated targets and re-initialisation; nil means the spec's seed.
    public var seed: UInt64?
    /// Limits and defaults (tree expansion, learning rate, undo budget, …).
    public var settings: ExplorerSettings
    /// Whether the training strip shows the time per step and the time left (off for `nnview snapshot`, whose
    /// frames must be the same on every machine).
    public var showsStepTimes = true

    /// Options with defaults: the default dark theme, Unicode, the default save path, the spec's seed, nnview's
    /// settings.
    public init(themeName: String = "default-dark",
                themeNames: [String] = ["default-dark", "light", "solarized", "high-contrast", "monochrome"],
                ascii: Bool = false, savePath: String? = nil, seed: UInt64? = nil,
                settings: ExplorerSettings = .init()) {
        self.themeName = themeName
        self.themeNames = themeNames
        self.ascii = ascii
        self.savePath = savePath
        self.seed = seed
        self.settings = settings
    }
}
