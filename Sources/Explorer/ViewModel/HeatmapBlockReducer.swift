/// The downsampler's inner loops: folds the rows of one band of blocks into one value per block, the element
/// `HeatmapDownsampler.dominant` keeps (the first NaN in row-major order, else the first element of largest
/// magnitude), at memory speed.
///
/// Each row is first folded column by column into three running arrays (best key, its element, the order of
/// the row it came from); only when the band is complete are the columns of each block compared. The per-row
/// work is a branch-free elementwise max over whole rows, which the compiler vectorises; the per-block work
/// happens once per band.
///
/// Keys: with the sign bit cleared, a Float32's bits compare as integers in magnitude order and every NaN sits
/// above +Inf; capping NaNs at one value makes all NaNs tie, so the earliest one wins. One is added so that
/// every element beats the empty column (key 0).
final class HeatmapBlockReducer {
    /// Columns of the window (the band's width in elements).
    let width: Int
    /// Elements per block along a row.
    let blockCols: Int
    private let keys: UnsafeMutablePointer<UInt32>
    private let elements: UnsafeMutablePointer<UInt32>
    private let orders: UnsafeMutablePointer<UInt32>
    /// Rows folded into the current band so far (the order given to the next row).
    private var rowsFolded: UInt32 = 0

    /// A reducer for bands `width` elements wide cut into blocks of `blockCols` columns.
    init(width: Int, blockCols: Int) {
        self.width = width
        self.blockCols = Swift.max(blockCols, 1)
        let capacity = Swift.max(width, 1)
        keys = .allocate(capacity: capacity)
        elements = .allocate(capacity: capacity)
        orders = .allocate(capacity: capacity)
        keys.initialize(repeating: 0, count: capacity)
        elements.initialize(repeating: 0, count: capacity)
        orders.initialize(repeating: 0, count: capacity)
    }

    deinit {
        keys.deallocate()
        elements.deallocate()
        orders.deallocate()
    }

    /// True when no row was folded since the last `finishBand`.
    var isEmpty: Bool { rowsFolded == 0 }

    /// Folds the `width` elements at `row` (the window's part of one matrix row) into the band.
    func fold(row: UnsafePointer<Float>) {
        let source = UnsafeRawPointer(row)
        let order = rowsFolded
        // Eight columns at a time with whole-vector selects and stores: left to itself the compiler turns the
        // conditional updates into masked stores, which are microcoded and slow on AMD cores.
        // Keys stay below 2³¹, so signed lanes compare them correctly.
        let keyBase = UnsafeMutableRawPointer(keys), elementBase = UnsafeMutableRawPointer(elements)
        let orderBase = UnsafeMutableRawPointer(orders)
        let orderVector = SIMD8<Int32>(repeating: Int32(bitPattern: order))
        // Vector–vector comparisons only: the vector–scalar forms are compiled lane by lane here.
        let nanKey = SIMD8<Int32>(repeating: 0x7F80_0001), magnitudeMask = SIMD8<Int32>(repeating: 0x7FFF_FFFF)
        let one = SIMD8<Int32>(repeating: 1)
        var c = 0
        while c + 8 <= width {
            let offset = c * 4
            let element = source.loadUnaligned(fromByteOffset: offset, as: SIMD8<Int32>.self)
            var key = element & magnitudeMask
            key.replace(with: nanKey, where: key .> nanKey)
            key &+= one
            let oldKey = keyBase.loadUnaligned(fromByteOffset: offset, as: SIMD8<Int32>.self)
            let better = key .> oldKey  // strict: an earlier row keeps a tie
            keyBase.storeBytes(of: oldKey.replacing(with: key, where: better), toByteOffset: offset, as: SIMD8<Int32>.self)
            let oldElement = elementBase.loadUnaligned(fromByteOffset: offset, as: SIMD8<Int32>.self)
            elementBase.storeBytes(of: oldElement.replacing(with: element, where: better), toByteOffset: offset,
                                   as: SIMD8<Int32>.self)
            let oldOrder = orderBase.loadUnaligned(fromByteOffset: offset, as: SIMD8<Int32>.self)
            orderBase.storeBytes(of: oldOrder.replacing(with: orderVector, where: better), toByteOffset: offset,
                                 as: SIMD8<Int32>.self)
            c += 8
        }
        let bits = source.assumingMemoryBound(to: UInt32.self)
        while c < width {
            let element = bits[c]
            let key = Swift.min(element & 0x7FFF_FFFF, 0x7F80_0001) &+ 1
            if key > keys[c] {
                keys[c] = key
                elements[c] = element
                orders[c] = order
            }
            c += 1
        }
        rowsFolded &+= 1
    }

    /// Writes each block's value (`cells` of them, block `i` covering columns `i·blockCols ..< (i+1)·blockCols`
    /// of the window, the last one possibly narrower) to `output`, and starts a new band.
    func finishBand(cells: Int, into output: UnsafeMutablePointer<Float>) {
        for cell in 0 ..< cells {
            let start = cell * blockCols
            let end = Swift.min(width, start + blockCols)
            guard start < end else { continue }
            var best = start
            for c in start + 1 ..< end {
                // Largest key; on a tie the earlier row, then (by scanning left to right) the earlier column.
                if keys[c] > keys[best] || (keys[c] == keys[best] && orders[c] < orders[best]) { best = c }
            }
            output[cell] = Float(bitPattern: elements[best])
        }
        keys.update(repeating: 0, count: width)
        rowsFolded = 0
    }
}
