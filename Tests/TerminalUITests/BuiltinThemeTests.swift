import Foundation
import Testing
@testable import TerminalUI

/// Themes ship inside the binary; the person's own come from $XDG_CONFIG_HOME/nnview/themes (issue 15 §4).
@Suite struct BuiltinThemeTests {
    @Test func theBuiltInTextsAreTheShippedFiles() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: ThemeTests.themesFolder).filter { $0.hasSuffix(".toml") }
        #expect(Set(files.map { String($0.dropLast(5)) }) == Set(BuiltinThemes.toml.map(\.name)))
        for (name, text) in BuiltinThemes.toml {
            let file = try String(contentsOfFile: ThemeTests.themesFolder + "/\(name).toml", encoding: .utf8)
            #expect(text + "\n" == file, "BuiltinThemes.\(name) differs from themes/\(name).toml")
        }
    }

    @Test func everyShippedThemeLoadsWithoutAnyFolder() throws {
        #expect(Theme.availableNames(searchPaths: []) == ["default-dark", "high-contrast", "light", "monochrome", "solarized"])
        for name in ["default-dark", "light", "solarized", "high-contrast", "monochrome"] {
            let builtIn = try Theme.load(nameOrPath: name, searchPaths: [])
            let file = try Theme.load(nameOrPath: ThemeTests.themesFolder + "/\(name).toml", searchPaths: [])
            #expect(builtIn == file, "\(name)")
        }
    }

    @Test func userThemesComeFromTheXDGConfigFolder() throws {
        #expect(Theme.defaultSearchPaths(environment: ["XDG_CONFIG_HOME": "/cfg", "HOME": "/home/a"]) == ["/cfg/nnview/themes"])
        #expect(Theme.defaultSearchPaths(environment: ["HOME": "/home/a"]) == ["/home/a/.config/nnview/themes"])
        #expect(Theme.defaultSearchPaths(environment: ["NNVIEW_THEMES": "/t", "HOME": "/h"]) == ["/t", "/h/.config/nnview/themes"])
        let config = NSTemporaryDirectory() + "nnview-xdg-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: config) }
        let folder = config + "/nnview/themes"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "name = \"mine\"\n[styles]\ntext = \"#102030\"\n".write(toFile: folder + "/mine.toml", atomically: true, encoding: .utf8)
        let paths = Theme.defaultSearchPaths(environment: ["XDG_CONFIG_HOME": config])
        #expect(Theme.availableNames(searchPaths: paths).contains("mine"))
        #expect(try Theme.load(nameOrPath: "mine", searchPaths: paths).name == "mine")
        #expect(try Theme.load(nameOrPath: "light", searchPaths: paths).name == "light")
        #expect(throws: ThemeError.self) { try Theme.load(nameOrPath: "nosuch", searchPaths: paths) }
    }
}
