#if canImport(Glibc)
import Glibc
#endif
import NNCore
import TestSupport
import Testing
@testable import NNModules

/// Long explorer sessions: thousands of forward/backward steps must not keep old graphs alive.
@Suite(.serialized) struct LongSessionMemoryTests {
    /// Resident set size in bytes, from /proc/self/statm's second field (pages).
    private func residentBytes() throws -> Int {
        let file = try #require(fopen("/proc/self/statm", "r"))
        defer { fclose(file) }
        var size = 0
        var resident = 0
        try #require(withUnsafeMutablePointer(to: &size) { sizePointer in
            withUnsafeMutablePointer(to: &resident) { residentPointer in
                withVaList([sizePointer, residentPointer]) { vfscanf(file, "%ld %ld", $0) }
            }
        } == 2)
        return resident * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// One training step the way the explorer's `b` key runs it: zero grads, forward, loss, backward, update.
    /// Returns the loss and the output so the caller can watch whether they are freed.
    @discardableResult
    private func step(_ net: Module, _ x: Tensor, _ target: Tensor, _ optimizer: SGD) throws -> (loss: Tensor, output: Tensor) {
        net.zeroGrad()
        let output = try net(x)
        let loss = try mseLoss(output, target)
        try loss.backward()
        try optimizer.step()
        return (loss, output)
    }

    static let hostTest = "LongSessionMemoryTests/tenThousandStepsOfTheTiedNetKeepMemoryFlat"
    static let childFailed: Int32 = 3
    /// A status no test runner uses, so a child that never reached the measurement can't pass for one that did.
    static let childSucceeded: Int32 = 42

    /// The measurement runs in a child process of its own: the tests running in parallel in this process allocate
    /// too, and their memory would count as ours.
    @Test func tenThousandStepsOfTheTiedNetKeepMemoryFlat() throws {
        if ChildProcess.currentMode?.mode == "long-session" {
            try measureInThisProcess()
            return
        }
        let pid = try ChildProcess.spawn(hostTest: Self.hostTest, mode: "long-session")
        #expect(ChildProcess.wait(pid) == Self.childSucceeded, "10,000 steps in a child process: memory grew or training failed")
    }

    /// Runs the steps and exits the child with a failure status if memory grew or training stalled.
    private func measureInThisProcess() throws {
        var generator = SeededGenerator(seed: 11)
        let x = Tensor.rand([2, 20], generator: &generator)
        let target = Tensor.rand([2, 1], generator: &generator)
        let net = BookNetworks.tied()
        _ = try net(x)
        let optimizer = try SGD(net.parameters(), lr: 0.01)
        // Warm up so allocator pools and lazily created state exist before the first measurement.
        for _ in 0 ..< 200 { try step(net, x, target, optimizer) }
        let before = try residentBytes()
        for _ in 0 ..< 10_000 { try step(net, x, target, optimizer) }
        let after = try residentBytes()
        let growth = after - before
        // The training really ran (a frozen model would trivially stay flat).
        let finite = NonFiniteCheck.firstNonFinite(in: net) == nil
        let hasGradient = try net[0].parameter("weight").grad.map { _ in true } ?? false
        exit(growth < 20 << 20 && finite && hasGradient ? Self.childSucceeded : Self.childFailed)
    }

    @Test func previousStepGraphIsReleased() throws {
        var generator = SeededGenerator(seed: 12)
        let x = Tensor.rand([2, 20], generator: &generator)
        let target = Tensor.rand([2, 1], generator: &generator)
        let net = BookNetworks.tied()
        _ = try net(x)
        let optimizer = try SGD(net.parameters(), lr: 0.01)
        weak var previousLoss: Tensor?
        weak var previousOutput: Tensor?
        weak var previousNode: BackwardNode?
        do {
            let (loss, output) = try step(net, x, target, optimizer)
            previousLoss = loss
            previousOutput = output
            previousNode = loss.gradFn
            #expect(previousNode != nil, "the loss must have had a graph to free")
        }
        // The next step replaces everything the explorer keeps (lastForward, grads, contributions).
        try step(net, x, target, optimizer)
        #expect(previousLoss == nil, "the previous step's loss is still alive")
        #expect(previousOutput == nil, "the previous step's output is still alive")
        #expect(previousNode == nil, "the previous step's graph is still alive")
    }
}
