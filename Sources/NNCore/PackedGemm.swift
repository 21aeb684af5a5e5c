import CNNKernels
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only strided matrix: element (i, j) is at `base[i*rowStride + j*columnStride]`, so a transposed operand
/// is the same memory with the strides swapped.
struct StridedMatrix: @unchecked Sendable {
    // @unchecked: the pointer is only read, and the caller keeps the memory alive for the whole product.
    let base: UnsafePointer<Float>
    let rowStride: Int
    let columnStride: Int

    @inline(__always)
    func shifted(rows: Int, columns: Int) -> StridedMatrix {
        StridedMatrix(base: base + (rows &* rowStride &+ columns &* columnStride),
                      rowStride: rowStride, columnStride: columnStride)
    }
}

/// The output of a product: rows of `columns` floats `rowStride` apart. `@unchecked Sendable` because threads
/// write disjoint blocks of it, and the caller keeps it alive for the whole product.
struct OutputMatrix: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
    let rowStride: Int
}

/// A packed, cache-blocked SGEMM (the Goto/BLIS loop nest): C (m×n) = A (m×k) · B (k×n).
///
/// B is copied in KC×NC blocks into NR-column panels, A in MC×KC blocks into MR-row panels, and one C call per
/// block (`cnn_gemm_block`) runs the micro-kernel over every MR×NR tile of it, with the tile held in registers.
/// The tile shape and the blocks come from the kernel variant (`GemmMicroKernel.tiling(for:)`: 6×16 for the
/// portable and AVX2 variants, 8×32 for AVX-512). Packing (in CNNKernels, `cnn_gemm_pack`) also absorbs transposes
/// and zero-pads edge panels. An A with short contiguous rows is read in place instead (see
/// `directRowStrideLimit`). The buffers are the thread's `PackingWorkspace`, kept between products.
enum PackedGemm {
    /// A's rows are read in place (not packed) when fewer than this many floats apart (4 KiB).
    static let directRowStrideLimit = 1024
    /// Multiply-adds below which a second thread costs more than it saves (about 100³).
    static let parallelThreshold = 1_000_000

    /// Processors available to split large products over (read once).
    static let processorCount: Int = {
        #if canImport(Glibc) || canImport(Musl) || canImport(Darwin)
        return Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 1
        #endif
    }()

    /// Threads to use for an m×n×k product: one below `parallelThreshold`, else up to the processor count.
    static func threadCount(m: Int, n: Int, k: Int) -> Int {
        let work = m.multipliedReportingOverflow(by: n)
        guard !work.overflow else { return processorCount }
        let total = work.partialValue.multipliedReportingOverflow(by: k)
        if !total.overflow && total.partialValue < parallelThreshold { return 1 }
        return processorCount
    }

    /// C = A·B, split over `threads` threads by columns (or rows when C is tall and narrow) in whole tiles; each
    /// thread packs its own blocks, so they share nothing but read-only inputs. (Split by columns, each thread packs
    /// only its own columns of B; an A that must be packed is packed by both, which costs k·m copies against the
    /// m·n·k/2 multiply-adds of each half.)
    static func multiply(a: StridedMatrix, b: StridedMatrix, c: OutputMatrix, m: Int, n: Int, k: Int, threads: Int,
                         variant: KernelVariant = .best) {
        if m == 0 || n == 0 { return }
        let tiling = GemmMicroKernel.tiling(for: variant)
        let columnParts = Swift.min(threads, (n + tiling.columns - 1) / tiling.columns)
        let rowParts = Swift.min(threads, (m + tiling.rows - 1) / tiling.rows)
        let splitColumns = n >= m ? columnParts >= 2 : rowParts < 2 && columnParts >= 2
        let parts = splitColumns ? columnParts : rowParts
        if threads <= 1 || parts <= 1 {
            serial(a: a, b: b, c: c, m: m, n: n, k: k, variant: variant)
            return
        }
        let unit = splitColumns ? tiling.columns : tiling.rows
        forEachParallelPart(of: splitColumns ? n : m, unit: unit, parts: parts) { first, count in
            if splitColumns {
                serial(a: a, b: b.shifted(rows: 0, columns: first),
                       c: OutputMatrix(base: c.base + first, rowStride: c.rowStride), m: m, n: count, k: k,
                       variant: variant)
            } else {
                serial(a: a.shifted(rows: first, columns: 0), b: b,
                       c: OutputMatrix(base: c.base + first * c.rowStride, rowStride: c.rowStride),
                       m: count, n: n, k: k, variant: variant)
            }
        }
    }

    /// The single-threaded loop nest: blocks of B and A packed here, each block multiplied by one C call.
    static func serial(a: StridedMatrix, b: StridedMatrix, c: OutputMatrix, m: Int, n: Int, k: Int,
                       variant: KernelVariant = .best) {
        let tiling = GemmMicroKernel.tiling(for: variant)
        let mr = tiling.rows, nr = tiling.columns
        if k == 0 {
            for i in 0 ..< m { (c.base + i * c.rowStride).update(repeating: 0, count: n) }
            return
        }
        let kcMax = tiling.block(k, limit: tiling.depthBlock, unit: 8)
        let mcMax = tiling.block(m, limit: tiling.rowBlock, unit: mr)
        let ncMax = tiling.block(n, limit: tiling.columnBlock, unit: nr)
        // A whose rows are contiguous and short (x·Wᵀ with k < 1024, a convolution's weight) is read in place by
        // the micro-kernel; only a ragged last panel of fewer than MR rows is packed (zero-padded). Rows 4 KiB or
        // more apart are packed as before: an A block of 120 such rows spans more pages than the L1 TLB holds, and
        // rows exactly 4 KiB apart (a 1024² product) alias in the L1 cache.
        let readsARows = a.columnStride == 1 && a.rowStride < directRowStrideLimit
        let workspace = PackingWorkspace.buffers(aCount: (readsARows ? mr : roundUp(mcMax, mr)) * kcMax,
                                                 bCount: roundUp(ncMax, nr) * kcMax)
        let packedA = workspace.a, packedB = workspace.b
        var jc = 0
        while jc < n {
            let nb = Swift.min(ncMax, n - jc)
            var pc = 0
            while pc < k {
                let kb = Swift.min(kcMax, k - pc)
                packB(b.shifted(rows: pc, columns: jc), rows: kb, columns: nb, into: packedB, variant: variant)
                var ic = 0
                while ic < m {
                    let mb = Swift.min(mcMax, m - ic)
                    let fullPanelRows = mb / mr * mr
                    if !readsARows {
                        packA(a.shifted(rows: ic, columns: pc), rows: mb, columns: kb, into: packedA, variant: variant)
                    } else if fullPanelRows < mb {
                        packA(a.shifted(rows: ic + fullPanelRows, columns: pc), rows: mb - fullPanelRows, columns: kb,
                              into: packedA, variant: variant)
                    }
                    let rowsOfA: UnsafePointer<Float>? = readsARows ? a.base + (ic * a.rowStride + pc) : nil
                    cnn_gemm_block(variant.cVariant, mb, nb, kb, rowsOfA, a.rowStride, packedA, packedB,
                                   c.base + (ic * c.rowStride + jc), c.rowStride, pc > 0 ? 1 : 0)
                    ic += mb
                }
                pc += kb
            }
            jc += nb
        }
    }

    /// Copies `rows`×`columns` of A into the variant's MR-row panels: panel r holds column p at
    /// `r*MR*columns + p*MR`, zero-padded (`cnn_gemm_pack`: vector copies for a transposed A, 8×8 transposes or
    /// strided copies otherwise).
    static func packA(_ a: StridedMatrix, rows: Int, columns: Int, into packed: UnsafeMutablePointer<Float>,
                      variant: KernelVariant = .best) {
        let mr = GemmMicroKernel.tiling(for: variant).rows
        cnn_gemm_pack(variant.cVariant, Int32(mr), rows, columns, a.base, a.rowStride, a.columnStride, packed)
    }

    /// Copies `rows`×`columns` of B into the variant's NR-column panels: panel s holds row p at `s*NR*rows + p*NR`,
    /// zero-padded (`cnn_gemm_pack`: vector copies for B as stored, 8×8 transposes for a transposed B).
    static func packB(_ b: StridedMatrix, rows: Int, columns: Int, into packed: UnsafeMutablePointer<Float>,
                      variant: KernelVariant = .best) {
        let nr = GemmMicroKernel.tiling(for: variant).columns
        cnn_gemm_pack(variant.cVariant, Int32(nr), columns, rows, b.base, b.columnStride, b.rowStride, packed)
    }

    @inline(__always)
    static func roundUp(_ value: Int, _ multiple: Int) -> Int {
        (value + multiple - 1) / multiple * multiple
    }
}
