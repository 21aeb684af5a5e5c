/// The themes of themes/ compiled into the program, so `--theme light` works from any folder. ThemeTests checks
/// that each text here is the file's, byte for byte (edit the file, then copy it here).
enum BuiltinThemes {
    /// Name → TOML text, in name order.
    static let toml: [(name: String, text: String)] = [
        ("default-dark", #"""
# nnview default theme for dark terminals (the same as the theme built into the program).
name = "default-dark"
shared_markers = ["#ffaf00", "#00d7af", "#d787ff", "#87d700", "#ff5f87", "#5fd7ff"]

[styles]
background = "default"
text = "#d0d0d0"
dim_text = "#808080"
header = { fg = "#ffffff", bg = "#303050", bold = true }
selection = { fg = "#ffffff", bg = "#3a5f8a", bold = true }
tree_type = "#87afd7"
error = { fg = "#ff5f5f", bold = true }
status = { fg = "#d0d0d0", bg = "#262626" }
non_finite = { fg = "#000000", bg = "#ff00ff", bold = true }
histogram = "#5fafd7"
sparkline = "#87d787"
border = "#5f5f87"

[heatmap]
negative = "#2166ac"
zero = "#f7f7f7"
positive = "#b2182b"
cursor = "#ffff00"
"""#),
        ("high-contrast", #"""
# nnview theme with maximum contrast: pure colours, bold text, black background.
name = "high-contrast"
shared_markers = ["yellow", "bright-cyan", "bright-magenta", "bright-green", "bright-red", "bright-blue"]

[styles]
background = { fg = "bright-white", bg = "black" }
text = { fg = "bright-white", bg = "black" }
dim_text = { fg = "white", bg = "black" }
header = { fg = "black", bg = "bright-yellow", bold = true }
selection = { fg = "black", bg = "bright-white", bold = true }
tree_type = { fg = "bright-cyan", bg = "black", bold = true }
error = { fg = "bright-red", bold = true, underline = true }
status = { fg = "bright-white", bg = "blue", bold = true }
non_finite = { fg = "black", bg = "bright-magenta", bold = true }
histogram = { fg = "bright-green", bg = "black" }
sparkline = { fg = "bright-yellow", bg = "black" }
border = { fg = "bright-white", bg = "black" }

[heatmap]
negative = "#0000ff"
zero = "#ffffff"
positive = "#ff0000"
cursor = "#00ff00"
"""#),
        ("light", #"""
# nnview theme for light terminal backgrounds.
name = "light"
shared_markers = ["#d75f00", "#008787", "#8700af", "#5f8700", "#d70057", "#005fd7"]

[styles]
background = "default"
text = "#262626"
dim_text = "#767676"
header = { fg = "#000000", bg = "#d7d7ff", bold = true }
selection = { fg = "#000000", bg = "#afd7ff", bold = true }
tree_type = "#005f87"
error = { fg = "#d70000", bold = true }
status = { fg = "#262626", bg = "#e4e4e4" }
non_finite = { fg = "#ffffff", bg = "#d700d7", bold = true }
histogram = "#0087af"
sparkline = "#008700"
border = "#8787af"

[heatmap]
negative = "#053061"
zero = "#ffffff"
positive = "#67001f"
cursor = "#00d700"
"""#),
        ("monochrome", #"""
# nnview theme without colour: attributes only, heatmaps as characters (as with NO_COLOR).
name = "monochrome"
max_depth = "none"
shared_markers = ["default"]

[styles]
background = "default"
text = "default"
dim_text = { dim = true }
header = { bold = true, reverse = true }
selection = { reverse = true }
tree_type = { underline = true }
error = { bold = true, underline = true }
status = { reverse = true }
non_finite = { bold = true, reverse = true }
histogram = "default"
sparkline = "default"
border = "default"

[heatmap]
negative = "default"
zero = "default"
positive = "default"
cursor = "default"
"""#),
        ("solarized", #"""
# nnview theme using the Solarized (dark) palette by Ethan Schoonover.
name = "solarized"
shared_markers = ["#b58900", "#2aa198", "#d33682", "#859900", "#cb4b16", "#6c71c4"]

[styles]
background = { fg = "#839496", bg = "#002b36" }
text = { fg = "#839496", bg = "#002b36" }
dim_text = { fg = "#586e75", bg = "#002b36" }
header = { fg = "#fdf6e3", bg = "#073642", bold = true }
selection = { fg = "#fdf6e3", bg = "#268bd2", bold = true }
tree_type = { fg = "#268bd2", bg = "#002b36" }
error = { fg = "#dc322f", bold = true }
status = { fg = "#93a1a1", bg = "#073642" }
non_finite = { fg = "#002b36", bg = "#d33682", bold = true }
histogram = { fg = "#2aa198", bg = "#002b36" }
sparkline = { fg = "#859900", bg = "#002b36" }
border = { fg = "#586e75", bg = "#002b36" }

[heatmap]
negative = "#268bd2"
zero = "#eee8d5"
positive = "#dc322f"
cursor = "#b58900"
"""#),
    ]
}
