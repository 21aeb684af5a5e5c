import Foundation

/// Resident-set readings from /proc/self/status (Linux), in kibibytes.
enum MemoryUsage {
    /// Current resident set (VmRSS), or nil where /proc is unavailable.
    static func residentKiB() -> Int? { field("VmRSS:") }

    /// Peak resident set since start or the last `resetPeak()` (VmHWM).
    static func peakKiB() -> Int? { field("VmHWM:") }

    /// Resets VmHWM to the current RSS (writing 5 to /proc/self/clear_refs), so a workload's own peak can be read.
    @discardableResult
    static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do { try handle.write(contentsOf: Array("5".utf8)) } catch { return false }
        return true
    }

    private static func field(_ name: String) -> Int? {
        // procfs files report size 0, so read them in chunks rather than by their size.
        guard let handle = FileHandle(forReadingAtPath: "/proc/self/status"),
              let data = try? handle.readToEnd() else { return nil }
        try? handle.close()
        let text = String(decoding: data, as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            return Int(line.dropFirst(name.count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
        }
        return nil
    }
}
