// The readers live in FileFormats (below the module system); everything that imports ModelFiles sees them too,
// as it did when they were part of this target.
@_exported import FileFormats
