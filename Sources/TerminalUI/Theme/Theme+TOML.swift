import Foundation
import TOMLKit

/// Why a theme could not be loaded.
public struct ThemeError: Error, CustomStringConvertible, Equatable {
    /// One-line explanation naming the theme file or name.
    public let description: String
}

extension Theme {
    /// Folders searched for the person's own `NAME.toml` themes: `$NNVIEW_THEMES`, then
    /// `$XDG_CONFIG_HOME/nnview/themes` (`~/.config/nnview/themes` when XDG_CONFIG_HOME is unset). The themes of
    /// themes/ are built into the program (`BuiltinThemes`), so they need no folder and work from anywhere.
    public static func defaultSearchPaths(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var paths: [String] = []
        if let custom = environment["NNVIEW_THEMES"], !custom.isEmpty { paths.append(custom) }
        if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty {
            paths.append(config + "/nnview/themes")
        } else if let home = environment["HOME"], !home.isEmpty {
            paths.append(home + "/.config/nnview/themes")
        }
        return paths
    }

    /// Loads a theme by name (`light` → `light.toml` in the first search path that has it, else the built-in
    /// theme of that name) or by path (anything containing `/` or ending in `.toml`). `default` is the built-in
    /// default.
    /// - Throws: `ThemeError` for an unknown name, an unreadable file or bad TOML (with its line).
    public static func load(nameOrPath: String, searchPaths: [String]) throws -> Theme {
        let isPath = nameOrPath.contains("/") || nameOrPath.hasSuffix(".toml")
        if isPath {
            return try loadFile(nameOrPath)
        }
        for folder in searchPaths {
            let candidate = folder + "/" + nameOrPath + ".toml"
            if FileManager.default.fileExists(atPath: candidate) { return try loadFile(candidate) }
        }
        if let builtIn = BuiltinThemes.toml.first(where: { $0.name == nameOrPath }) {
            return try parse(toml: builtIn.text, defaultName: builtIn.name, source: "built-in theme \(builtIn.name)")
        }
        if nameOrPath == "default" || nameOrPath == builtInDefault.name { return builtInDefault }
        let known = availableNames(searchPaths: searchPaths)
        throw ThemeError(description: "unknown theme '\(nameOrPath)' (available: \(known.joined(separator: ", ")))")
    }

    /// The built-in theme names and those found in the search paths, sorted, without duplicates — the order `t`
    /// cycles through.
    public static func availableNames(searchPaths: [String]) -> [String] {
        var names = Set([builtInDefault.name] + BuiltinThemes.toml.map(\.name))
        for folder in searchPaths {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            for file in files where file.hasSuffix(".toml") { names.insert(String(file.dropLast(5))) }
        }
        return names.sorted()
    }

    /// Reads and parses one theme file; the theme is named after the file unless it sets `name`.
    public static func loadFile(_ path: String) throws -> Theme {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ThemeError(description: "cannot read theme file \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ThemeError(description: "theme file \(path) is not UTF-8 text")
        }
        let fileName = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return try parse(toml: text, defaultName: fileName, source: path)
    }

    /// Parses theme TOML. Roles not given keep the built-in default's value; unknown keys are errors so typos
    /// don't pass silently.
    public static func parse(toml text: String, defaultName: String, source: String = "theme") throws -> Theme {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ThemeError(description:
                "\(source): line \(error.source.begin.line), column \(error.source.begin.column): \(error.description)")
        }
        var theme = builtInDefault
        theme.name = defaultName
        for key in table.keys {
            guard let value = table[key] else { continue }
            let context = "\(source): '\(key)'"
            switch key {
            case "name":
                guard let s = value.string else { throw ThemeError(description: "\(context) must be a string") }
                theme.name = s
            case "max_depth":
                guard let s = value.string, let depth = ColorDepth(name: s) else {
                    throw ThemeError(description: "\(context) must be one of none, 8, 256, truecolor")
                }
                theme.maximumDepth = depth
            case "styles":
                guard let styles = value.table else { throw ThemeError(description: "\(context) must be a table") }
                try applyStyles(styles, to: &theme, source: source)
            case "heatmap":
                guard let heat = value.table else { throw ThemeError(description: "\(context) must be a table") }
                for hk in heat.keys {
                    guard let hv = heat[hk] else { continue }
                    let color = try parseColor(hv, context: "\(source): 'heatmap.\(hk)'")
                    switch hk {
                    case "negative": theme.heatmapNegative = color
                    case "zero": theme.heatmapZero = color
                    case "positive": theme.heatmapPositive = color
                    case "cursor": theme.heatmapCursor = color
                    default:
                        throw ThemeError(description:
                            "\(source): unknown key 'heatmap.\(hk)' (known: negative, zero, positive, cursor)")
                    }
                }
            case "shared_markers":
                guard let array = value.array, !array.isEmpty else {
                    throw ThemeError(description: "\(context) must be a non-empty array of colours")
                }
                theme.sharedMarkers = try array.enumerated().map {
                    try parseColor($0.element, context: "\(source): 'shared_markers[\($0.offset)]'")
                }
            default:
                throw ThemeError(description:
                    "\(source): unknown key '\(key)' (known: name, max_depth, styles, heatmap, shared_markers)")
            }
        }
        return theme
    }

    static let styleRoles: [String: WritableKeyPath<Theme, Style> & Sendable] = [
        "background": \.background, "text": \.text, "dim_text": \.dimText, "header": \.header,
        "selection": \.selection, "tree_type": \.treeType, "error": \.error, "status": \.status,
        "non_finite": \.nonFinite, "histogram": \.histogram, "sparkline": \.sparkline, "border": \.border,
    ]

    static func applyStyles(_ styles: TOMLTable, to theme: inout Theme, source: String) throws {
        for role in styles.keys {
            guard let value = styles[role] else { continue }
            guard let keyPath = styleRoles[role] else {
                throw ThemeError(description: "\(source): unknown style role 'styles.\(role)' (known: "
                    + styleRoles.keys.sorted().joined(separator: ", ") + ")")
            }
            theme[keyPath: keyPath] = try parseStyle(value, context: "\(source): 'styles.\(role)'")
        }
    }

    /// A style is either a colour (the foreground) or a table `{ fg, bg, bold, dim, reverse, underline }`.
    static func parseStyle(_ value: TOMLValueConvertible, context: String) throws -> Style {
        guard let table = value.table else { return Style(fg: try parseColor(value, context: context)) }
        var style = Style()
        for key in table.keys {
            guard let v = table[key] else { continue }
            switch key {
            case "fg": style.fg = try parseColor(v, context: "\(context).fg")
            case "bg": style.bg = try parseColor(v, context: "\(context).bg")
            case "bold", "dim", "reverse", "underline":
                guard let on = v.bool else { throw ThemeError(description: "\(context).\(key) must be true or false") }
                let attr: TextAttributes = key == "bold" ? .bold : key == "dim" ? .dim : key == "reverse" ? .reverse : .underline
                if on { style.attrs.insert(attr) } else { style.attrs.remove(attr) }
            default:
                throw ThemeError(description:
                    "\(context): unknown key '\(key)' (known: fg, bg, bold, dim, reverse, underline)")
            }
        }
        return style
    }

    static let colorNames: [String: Color] = [
        "default": .default, "black": .ansi(0), "red": .ansi(1), "green": .ansi(2), "yellow": .ansi(3),
        "blue": .ansi(4), "magenta": .ansi(5), "cyan": .ansi(6), "white": .ansi(7),
        "bright-black": .ansi(8), "gray": .ansi(8), "grey": .ansi(8), "bright-red": .ansi(9),
        "bright-green": .ansi(10), "bright-yellow": .ansi(11), "bright-blue": .ansi(12),
        "bright-magenta": .ansi(13), "bright-cyan": .ansi(14), "bright-white": .ansi(15),
    ]

    /// A colour is `"#rrggbb"`, an integer 0–255 (xterm palette index) or a name (`red`, `bright-blue`, `default`).
    public static func parseColor(_ value: TOMLValueConvertible, context: String) throws -> Color {
        if let index = value.int {
            guard (0...255).contains(index) else {
                throw ThemeError(description: "\(context): colour index \(index) is outside 0–255")
            }
            return .indexed(UInt8(index))
        }
        guard let s = value.string else {
            throw ThemeError(description: "\(context): a colour must be \"#rrggbb\", 0–255 or a name")
        }
        if let color = parseColor(s) { return color }
        throw ThemeError(description:
            "\(context): bad colour '\(s)' (use \"#rrggbb\", 0–255 or one of \(colorNames.keys.sorted().joined(separator: ", ")))")
    }

    /// Parses `"#rrggbb"` or a colour name; nil if it is neither.
    public static func parseColor(_ s: String) -> Color? {
        if let named = colorNames[s.lowercased()] { return named }
        guard s.hasPrefix("#"), s.count == 7, let v = UInt32(s.dropFirst(), radix: 16) else { return nil }
        return .rgb(UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff))
    }
}
