import Foundation
import Architectures
import NNCore

// nnbench: the performance workloads of issues 5 and 14, one `NAME<TAB>MEDIAN<TAB>MIN<TAB>SAMPLES` line per timed
// workload (microseconds), `NAME<TAB>VALUE` for the other values.
let options: BenchmarkOptions
do {
    options = try BenchmarkOptions(arguments: Array(CommandLine.arguments.dropFirst()))
} catch let error as BenchmarkError where error.description == BenchmarkError.usage.description {
    print(error.description)
    exit(0)
} catch {
    FileHandle.standardError.write(Data("nnbench: \(error)\n".utf8))
    exit(2)
}

// Which compiled kernels run (NNVIEW_CPU=avx2 limits them to what an AVX2-only CPU runs), on stderr so the
// report's lines stay as they are.
FileHandle.standardError.write(Data(
    "nnbench: products \(KernelVariant.best), convolution \(ConvolutionKernel.matching(.best))\n".utf8))

var report = BenchmarkReport()
var failures = 0
var standard = Stopwatch.standard(quick: options.quick)
var slow = Stopwatch.slow(quick: options.quick)
standard.cpuTime = options.cpuTime
slow.cpuTime = options.cpuTime
if let runs = options.runs {
    standard.minimumRuns = runs
    standard.maximumRuns = runs
    slow.minimumRuns = runs
    slow.maximumRuns = runs
}

/// Runs `body` when `name` is selected, printing progress to stderr so a long run shows where it is.
@MainActor func run(_ name: String, _ body: () throws -> Void) {
    guard options.selects(name) else { return }
    FileHandle.standardError.write(Data("nnbench: \(name)…\n".utf8))
    do {
        try body()
    } catch {
        report.note(name, "failed: \(error)")
        failures += 1
    }
}

// Wrong results would make every timing meaningless: check the release kernels first.
do {
    try CoreWorkloads.checkSmallProducts()
} catch {
    FileHandle.standardError.write(Data("nnbench: \(error)\n".utf8))
    exit(1)
}
run("seed_mlp_fwd_bwd_2x20") { report.add("seed_mlp_fwd_bwd_2x20", try CoreWorkloads.seedMLP(standard)) }
run("seed_tied_fwd_bwd_2x4") { report.add("seed_tied_fwd_bwd_2x4", try CoreWorkloads.seedTied(standard)) }
run("mlp784_train_step_b64") { report.add("mlp784_train_step_b64", try CoreWorkloads.mlpTrainStep(standard)) }
for size in [256, 1024] {
    let name = "matmul\(size)"
    run(name) {
        let result = try CoreWorkloads.matmul(size: size, size >= 1024 ? slow : standard)
        report.add(name, result.time)
        report.add("\(name)_gflops", result.gflops)
    }
}
run("linear_128x384x384") {
    report.add("linear_128x384x384", try CoreWorkloads.linear(rows: 128, inputs: 384, outputs: 384, standard))
}
run("open_huge") {
    let result = try FileWorkloads.openHuge(slow)
    report.add("open_huge", result.time)
    report.add("open_huge_peak_rss_mib", result.peakMiB)
    report.add("open_huge_file_gb", result.gigabytes)
}
run("heatmap_4096") {
    let f32 = try FileWorkloads.heatmapF32(slow)
    report.add("heatmap_4096_f32", f32.time)
    let bf16 = try FileWorkloads.heatmapBF16(slow)
    report.add("heatmap_4096_bf16", bf16.time)
    report.note("heatmap_4096_method", bf16.method)
}
run("frame_render") { report.add("frame_render", try ExplorerWorkloads.frameRender(standard)) }
run("frame_render_100k") {
    let result = try ExplorerWorkloads.frameRenderHundredThousandRows(standard)
    report.add("frame_render_100k", result.time)
    report.add("frame_render_100k_rows", Double(result.rows))
}
run("open_real") {
    let result = try ExplorerWorkloads.openReal(slow)
    report.add("open_real", result.time)
    report.add("open_real_parameters_millions", Double(result.parameters) / 1e6)
    report.add("open_real_file_mb", result.megabytes)
}
for name in [VisionArchitectureName.mobilenetV2, .resnet18] {
    run("\(name.rawValue)_fwd_b1_224") { report.add("\(name.rawValue)_fwd_b1_224", try VisionWorkloads.forward(name, slow)) }
}
run("bert_minilm_fwd_b1_t128") { report.add("bert_minilm_fwd_b1_t128", try TransformerWorkloads.bertForward(slow)) }
run("bert_minilm_fwd_bwd_b1_t128") { report.add("bert_minilm_fwd_bwd_b1_t128", try TransformerWorkloads.bertForwardBackward(slow)) }
run("gpt2_small_fwd_b1_t64") {
    let result = try TransformerWorkloads.gpt2Forward(slow)
    report.add("gpt2_small_fwd_b1_t64", result.time)
    report.add("gpt2_small_fwd_b1_t64_peak_rss_mib", result.peakMiB)
    report.add("gpt2_small_weights_f32_mib", result.weightsMiB)
}
run("gpt2_small_fwd_bwd_b1_t64") { report.add("gpt2_small_fwd_bwd_b1_t64", try TransformerWorkloads.gpt2ForwardBackward(slow)) }

print(options.json ? report.json() : report.lines())
// A failed workload is reported in its line and in the exit status, so scripts notice.
exit(failures == 0 ? 0 : 1)
