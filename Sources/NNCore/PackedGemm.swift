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
/// B is copied in KC×NC blocks into 16-column panels (kept in L3/L2), A in MC×KC blocks into 6-row panels (kept
/// in L2), and `GemmMicroKernel` multiplies one A panel by one B panel (kept in L1) into a 6×16 tile of C held in
/// registers. Packing also absorbs transposes and zero-pads edge panels, so the micro-kernel never branches. An A
/// with short contiguous rows is read in place instead (see `directRowStrideLimit`), and a transposed B is packed
/// by 8×8 transposes in CNNKernels. The buffers are the thread's `PackingWorkspace`, kept between products.
enum PackedGemm {
    /// Depth of one packed block: a 16-column B panel of this depth is 16 KiB, half of L1.
    static let depthBlock = 256
    /// Rows of A packed at a time (a multiple of 6): 120×256 floats = 120 KiB, well inside the 512 KiB L2.
    static let rowBlock = 120
    /// Columns of B packed at a time (a multiple of 16): 256×2048 floats = 2 MiB of the shared L3.
    static let columnBlock = 2048
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

    /// C = A·B, split over `threads` threads by columns (or rows when C is tall and narrow); each thread packs
    /// its own blocks, so they share nothing but read-only inputs.
    static func multiply(a: StridedMatrix, b: StridedMatrix, c: OutputMatrix, m: Int, n: Int, k: Int, threads: Int,
                         variant: KernelVariant = .best) {
        if m == 0 || n == 0 { return }
        let columnParts = Swift.min(threads, (n + GemmMicroKernel.columns - 1) / GemmMicroKernel.columns)
        let rowParts = Swift.min(threads, (m + GemmMicroKernel.rows - 1) / GemmMicroKernel.rows)
        let splitColumns = n >= m ? columnParts >= 2 : rowParts < 2 && columnParts >= 2
        let parts = splitColumns ? columnParts : rowParts
        if threads <= 1 || parts <= 1 {
            serial(a: a, b: b, c: c, m: m, n: n, k: k, variant: variant)
            return
        }
        let unit = splitColumns ? GemmMicroKernel.columns : GemmMicroKernel.rows
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

    /// The single-threaded loop nest.
    static func serial(a: StridedMatrix, b: StridedMatrix, c: OutputMatrix, m: Int, n: Int, k: Int,
                       variant: KernelVariant = .best) {
        let mr = GemmMicroKernel.rows, nr = GemmMicroKernel.columns
        if k == 0 {
            for i in 0 ..< m { (c.base + i * c.rowStride).update(repeating: 0, count: n) }
            return
        }
        let kcMax = Swift.min(depthBlock, k)
        let mcMax = Swift.min(rowBlock, roundUp(m, mr))
        let ncMax = Swift.min(columnBlock, roundUp(n, nr))
        // A whose rows are contiguous and short (x·Wᵀ with k < 1024, a convolution's weight) is read in place by
        // the micro-kernel; only a ragged last panel of fewer than 6 rows is packed (zero-padded). Rows 4 KiB or
        // more apart are packed as before: an A block of 120 such rows spans more pages than the L1 TLB holds, and
        // rows exactly 4 KiB apart (a 1024² product) alias in the L1 cache.
        let readsARows = a.columnStride == 1 && a.rowStride < directRowStrideLimit
        let workspace = PackingWorkspace.buffers(aCount: (readsARows ? mr : mcMax) * kcMax + mr * nr,
                                                 bCount: ncMax * kcMax)
        let packedA = workspace.a, packedB = workspace.b
        let edge = packedA + (readsARows ? mr : mcMax) * kcMax
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
                        packA(a.shifted(rows: ic, columns: pc), rows: mb, columns: kb, into: packedA)
                    } else if fullPanelRows < mb {
                        packA(a.shifted(rows: ic + fullPanelRows, columns: pc), rows: mb - fullPanelRows, columns: kb,
                              into: packedA)
                    }
                    var jr = 0
                    while jr < nb {
                        let width = Swift.min(nr, nb - jr)
                        let panelB = UnsafePointer(packedB + jr * kb)
                        var ir = 0
                        while ir < mb {
                            let height = Swift.min(mr, mb - ir)
                            let panelA = UnsafePointer(packedA + (readsARows ? 0 : ir * kb))
                            let target = c.base + (ic + ir) * c.rowStride + jc + jr
                            if readsARows && height == mr && width == nr {
                                GemmMicroKernel.tile(kc: kb, rowsOfA: a.base + ((ic + ir) * a.rowStride + pc),
                                                     rowStride: a.rowStride, packedB: panelB, tile: target,
                                                     tileStride: c.rowStride, accumulate: pc > 0, variant: variant)
                            } else if readsARows && height == mr {
                                GemmMicroKernel.tile(kc: kb, rowsOfA: a.base + ((ic + ir) * a.rowStride + pc),
                                                     rowStride: a.rowStride, packedB: panelB, tile: edge,
                                                     tileStride: nr, accumulate: false, variant: variant)
                                for i in 0 ..< height {
                                    let row = target + i * c.rowStride, source = edge + i * nr
                                    if pc > 0 {
                                        for j in 0 ..< width { row[j] += source[j] }
                                    } else {
                                        row.update(from: source, count: width)
                                    }
                                }
                            } else if height == mr && width == nr {
                                GemmMicroKernel.tile(kc: kb, packedA: panelA, packedB: panelB,
                                                     tile: target, tileStride: c.rowStride, accumulate: pc > 0,
                                                     variant: variant)
                            } else {
                                GemmMicroKernel.tile(kc: kb, packedA: panelA, packedB: panelB,
                                                     tile: edge, tileStride: nr, accumulate: false, variant: variant)
                                for i in 0 ..< height {
                                    let row = target + i * c.rowStride, source = edge + i * nr
                                    if pc > 0 {
                                        for j in 0 ..< width { row[j] += source[j] }
                                    } else {
                                        row.update(from: source, count: width)
                                    }
                                }
                            }
                            ir += mr
                        }
                        jr += nr
                    }
                    ic += mb
                }
                pc += kb
            }
            jc += nb
        }
    }

    /// Copies `rows`×`columns` of A into 6-row panels: panel r holds column p at `r*6*columns + p*6`, zero-padded.
    /// (Index arithmetic here and in `packB` wraps: every index is inside an allocated matrix, so it cannot
    /// overflow, and -O's overflow checks would otherwise keep these copy loops from being vectorised.)
    static func packA(_ a: StridedMatrix, rows: Int, columns: Int, into packed: UnsafeMutablePointer<Float>) {
        let mr = GemmMicroKernel.rows
        var r = 0
        while r < rows {
            let panel = packed + r &* columns
            let height = Swift.min(mr, rows - r)
            if a.rowStride == 1 {
                // Transposed A: the 6 values of one column are adjacent in memory.
                for p in 0 ..< columns {
                    let source = a.base + (r &+ p &* a.columnStride)
                    let destination = panel + p &* mr
                    for i in 0 ..< height { destination[i] = source[i] }
                    for i in height ..< mr { destination[i] = 0 }
                }
            } else {
                for i in 0 ..< height {
                    let source = a.base + (r &+ i) &* a.rowStride
                    for p in 0 ..< columns { panel[p &* mr &+ i] = source[p &* a.columnStride] }
                }
                for i in height ..< mr {
                    for p in 0 ..< columns { panel[p &* mr &+ i] = 0 }
                }
            }
            r &+= mr
        }
    }

    /// Copies `rows`×`columns` of B into 16-column panels: panel s holds row p at `s*16*rows + p*16`, zero-padded.
    static func packB(_ b: StridedMatrix, rows: Int, columns: Int, into packed: UnsafeMutablePointer<Float>,
                      variant: KernelVariant = .best) {
        let nr = GemmMicroKernel.columns
        var s = 0
        while s < columns {
            let panel = packed + s &* rows
            let width = Swift.min(nr, columns - s)
            if b.rowStride == 1 {
                // Transposed B (a Linear weight in x·Wᵀ): 8×8 transposes in CNNKernels, a plain copy of values.
                cnn_pack_b_transposed(variant.cVariant, rows, Int32(width), b.base + s &* b.columnStride,
                                      b.columnStride, panel)
            } else if b.columnStride == 1 {
                let raw = UnsafeMutableRawPointer(panel)
                for p in 0 ..< rows {
                    let source = b.base + (p &* b.rowStride &+ s)
                    if width == nr {
                        let sourceRaw = UnsafeRawPointer(source)
                        raw.storeBytes(of: sourceRaw.loadUnaligned(fromByteOffset: 0, as: SIMD8<Float>.self),
                                       toByteOffset: p &* 64, as: SIMD8<Float>.self)
                        raw.storeBytes(of: sourceRaw.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self),
                                       toByteOffset: p &* 64 &+ 32, as: SIMD8<Float>.self)
                    } else {
                        let destination = panel + p &* nr
                        for j in 0 ..< width { destination[j] = source[j] }
                        for j in width ..< nr { destination[j] = 0 }
                    }
                }
            } else {
                // Transposed B: walk each source row (a column of op(B)) contiguously.
                for j in 0 ..< width {
                    let source = b.base + (s &+ j) &* b.columnStride
                    for p in 0 ..< rows { panel[p &* nr &+ j] = source[p &* b.rowStride] }
                }
                for j in width ..< nr {
                    for p in 0 ..< rows { panel[p &* nr &+ j] = 0 }
                }
            }
            s &+= nr
        }
    }

    @inline(__always)
    static func roundUp(_ value: Int, _ multiple: Int) -> Int {
        (value + multiple - 1) / multiple * multiple
    }
}
