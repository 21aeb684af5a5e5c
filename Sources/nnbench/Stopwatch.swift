#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The spread of one workload's timed runs, in microseconds.
struct Timing {
    /// The median run: robust against the other processes on a shared machine.
    var median: Double
    /// The fastest run: what the code can do when nothing else interferes. A median far above it shows drift.
    var minimum: Double
    /// Timed runs the two are taken from.
    var samples: Int
}

/// Times a workload: warm-up runs, then timed runs until both a minimum count and a time budget are reached,
/// reporting the median, the minimum and the number of runs.
struct Stopwatch {
    /// Untimed runs first (caches, lazy initialisation, allocator pools).
    var warmupRuns: Int
    /// Timed runs at least.
    var minimumRuns: Int
    /// Timed runs at most.
    var maximumRuns: Int
    /// Stop after this many seconds of timed runs once `minimumRuns` is reached.
    var budgetSeconds: Double
    /// Measure process CPU time (all threads) instead of wall time: on a loaded machine this shows the work
    /// done rather than the time waited for a core.
    var cpuTime = false

    /// Settings for `--quick` or a full run.
    static func standard(quick: Bool) -> Stopwatch {
        quick ? Stopwatch(warmupRuns: 3, minimumRuns: 5, maximumRuns: 200, budgetSeconds: 0.2)
              : Stopwatch(warmupRuns: 20, minimumRuns: 31, maximumRuns: 20_000, budgetSeconds: 2.0)
    }

    /// Settings for slow workloads (each run tens of milliseconds).
    static func slow(quick: Bool) -> Stopwatch {
        quick ? Stopwatch(warmupRuns: 1, minimumRuns: 3, maximumRuns: 20, budgetSeconds: 0.3)
              : Stopwatch(warmupRuns: 3, minimumRuns: 15, maximumRuns: 500, budgetSeconds: 3.0)
    }

    /// The median and minimum wall time of `body` in microseconds and the number of timed runs.
    func measure(_ body: () throws -> Void) rethrows -> Timing {
        for _ in 0 ..< warmupRuns { try body() }
        var samples: [Double] = []
        samples.reserveCapacity(Swift.min(maximumRuns, 4096))
        let start = Stopwatch.now()
        while samples.count < maximumRuns {
            let t0 = Stopwatch.now(), c0 = cpuTime ? Stopwatch.processCPU() : 0
            try body()
            let t1 = Stopwatch.now(), c1 = cpuTime ? Stopwatch.processCPU() : 0
            samples.append((cpuTime ? c1 - c0 : t1 - t0) * 1e6)
            if samples.count >= minimumRuns && t1 - start >= budgetSeconds { break }
        }
        samples.sort()
        let middle = samples.count / 2
        let median = samples.count % 2 == 1 ? samples[middle] : (samples[middle - 1] + samples[middle]) / 2
        return Timing(median: median, minimum: samples[0], samples: samples.count)
    }

    /// CPU seconds used by all threads of the process.
    static func processCPU() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }

    /// Monotonic seconds.
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}
