import Foundation
import Testing
@testable import TerminalUI

@Suite struct ThemeTests {
    static let themesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("themes").path

    @Test func everyShippedThemeLoads() throws {
        let names = Theme.availableNames(searchPaths: [Self.themesFolder])
        for expected in ["default-dark", "light", "solarized", "high-contrast", "monochrome"] {
            #expect(names.contains(expected))
            let theme = try Theme.load(nameOrPath: expected, searchPaths: [Self.themesFolder])
            #expect(theme.name == expected)
            #expect(!theme.sharedMarkers.isEmpty)
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.themesFolder).filter { $0.hasSuffix(".toml") }
        #expect(files.count >= 5)
        for file in files { _ = try Theme.load(nameOrPath: Self.themesFolder + "/" + file, searchPaths: []) }
    }

    @Test func defaultFileMatchesTheBuiltInTheme() throws {
        let file = try Theme.load(nameOrPath: "default-dark", searchPaths: [Self.themesFolder])
        #expect(file == Theme.builtInDefault)
        // Without the folder the built-in default still works.
        #expect(try Theme.load(nameOrPath: "default", searchPaths: []) == Theme.builtInDefault)
    }

    @Test func monochromeCapsTheDepth() throws {
        let mono = try Theme.load(nameOrPath: "monochrome", searchPaths: [Self.themesFolder])
        #expect(mono.effectiveDepth(terminal: .trueColor) == ColorDepth.none)
        #expect(mono.selection.attrs.contains(.reverse))
    }

    @Test func colourSyntax() throws {
        let theme = try Theme.parse(toml: """
            shared_markers = [1, "red", "#010203"]
            [styles]
            text = 200
            header = { fg = "bright-blue", bg = "default", bold = true, underline = true }
            """, defaultName: "t")
        #expect(theme.sharedMarkers == [.indexed(1), .ansi(1), .rgb(1, 2, 3)])
        #expect(theme.text == Style(fg: .indexed(200)))
        #expect(theme.header == Style(fg: .ansi(12), bg: .default, attrs: [.bold, .underline]))
        #expect(theme.sharedMarkerColor(4) == .ansi(1))
    }

    static func error(_ toml: String) -> String {
        do {
            _ = try Theme.parse(toml: toml, defaultName: "bad", source: "bad.toml")
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func badThemesGiveClearErrors() {
        #expect(Self.error("[styles]\ntext = \n").contains("bad.toml: line 2"))
        #expect(Self.error("[styles]\ntxet = \"red\"").contains("unknown style role 'styles.txet'"))
        #expect(Self.error("[styles]\ntext = \"#12345\"").contains("bad colour '#12345'"))
        #expect(Self.error("[styles]\ntext = 300").contains("outside 0–255"))
        #expect(Self.error("colour = 1").contains("unknown key 'colour'"))
        #expect(Self.error("max_depth = \"lots\"").contains("max_depth"))
        #expect(Self.error("[heatmap]\nnegatve = \"red\"").contains("heatmap.negatve"))
    }

    @Test func badFilesAndUnknownNames() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nnview-theme-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try "[styles\ntext = 1\n".write(to: folder.appendingPathComponent("broken.toml"), atomically: true, encoding: .utf8)
        do {
            _ = try Theme.load(nameOrPath: "broken", searchPaths: [folder.path])
            Issue.record("broken theme loaded")
        } catch let error as ThemeError {
            #expect(error.description.contains("broken.toml: line 1"))
        }
        do {
            _ = try Theme.load(nameOrPath: "nosuch", searchPaths: [folder.path])
            Issue.record("unknown theme loaded")
        } catch let error as ThemeError {
            #expect(error.description.contains("unknown theme 'nosuch'"))
            #expect(error.description.contains("broken"))
        }
        #expect(throws: ThemeError.self) { try Theme.load(nameOrPath: folder.path + "/missing.toml", searchPaths: []) }
    }
}
