import TestSupport

/// Golden frames in `Tests/ExplorerTests/Render/Snapshots/NAME.txt` (see `GoldenSnapshots`).
let goldens = GoldenSnapshots(besides: #filePath)
