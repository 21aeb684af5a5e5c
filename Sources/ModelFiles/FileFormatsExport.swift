// The readers live in FileFormats (below the module system) and the dotted-name tree in ModulePaths; everything
// that imports ModelFiles sees them too, as it did when they were part of this target.
@_exported import FileFormats
@_exported import ModulePaths
