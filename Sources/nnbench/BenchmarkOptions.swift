/// Command-line options of nnbench: `--json`, `--quick`, `--filter NAME` (repeatable; a workload runs when its
/// name contains any filter), `--help`.
struct BenchmarkOptions {
    var json = false
    var quick = false
    var cpuTime = false
    var filters: [String] = []

    /// Parses `arguments` (without the program name), throwing a one-line message for anything unknown.
    init(arguments: [String]) throws {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "--json": json = true
            case "--quick": quick = true
            case "--cpu-time": cpuTime = true
            case "--filter":
                index += 1
                guard index < arguments.count else { throw BenchmarkError("--filter needs a workload name") }
                filters.append(arguments[index])
            case "-h", "--help":
                throw BenchmarkError.usage
            default:
                if argument.hasPrefix("--filter=") {
                    filters.append(String(argument.dropFirst("--filter=".count)))
                } else {
                    throw BenchmarkError("unknown argument '\(argument)' (try --help)")
                }
            }
            index += 1
        }
    }

    /// Whether the workload called `name` is selected.
    func selects(_ name: String) -> Bool {
        filters.isEmpty || filters.contains { name.contains($0) }
    }
}

/// A benchmark failure with a one-line message.
struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }

    static let usage = BenchmarkError("""
        usage: nnbench [--json] [--quick] [--cpu-time] [--filter NAME]...
          Prints NAME<TAB>MEDIAN_MICROSECONDS per workload (plus extra value lines such as matmul1024_gflops).
          --json         one JSON object {name: value} instead of lines
          --quick        fewer iterations (a smoke run; numbers are noisier)
          --filter NAME  run only workloads whose name contains NAME (repeatable)
          --cpu-time     report process CPU time (all threads) instead of wall time: a diagnostic for
                         loaded machines; the README numbers are wall time
        """)
}
