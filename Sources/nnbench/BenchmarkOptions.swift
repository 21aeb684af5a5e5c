/// Command-line options of nnbench: `--json`, `--quick`, `--filter NAME` (repeatable; a workload runs when its
/// name contains any filter), `--help`.
struct BenchmarkOptions {
    var json = false
    var quick = false
    var cpuTime = false
    /// Exactly this many timed runs per workload (no time budget), for instruction counts under valgrind.
    var runs: Int?
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
            case "--runs":
                index += 1
                guard index < arguments.count, let count = Int(arguments[index]), count >= 1 else {
                    throw BenchmarkError("--runs needs a count of at least 1")
                }
                runs = count
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
        usage: nnbench [--json] [--quick] [--cpu-time] [--runs N] [--filter NAME]...
          Prints NAME<TAB>MEDIAN_MICROSECONDS<TAB>MIN_MICROSECONDS<TAB>SAMPLES per timed workload (plus value
          lines such as matmul1024_gflops, computed from the median).
          --json         one JSON object {name: value} instead of lines (a timed workload's min and sample count
                         under NAME_min_us and NAME_samples)
          --quick        fewer iterations (a smoke run; numbers are noisier)
          --filter NAME  run only workloads whose name contains NAME (repeatable)
          --cpu-time     report process CPU time (all threads) instead of wall time: a diagnostic for
                         loaded machines; the README numbers are wall time
          --runs N       exactly N timed runs per workload, after the usual warm-up and with no time budget:
                         the work is then fixed, so instruction counts (valgrind --tool=callgrind) of two
                         builds, or of N and M runs, compare exactly
        """)
}
