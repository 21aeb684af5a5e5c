import Foundation
import NNCore
import ModelFiles

extension ExplorerState {
    /// `<name>.edited.safetensors` next to the weights (or spec) file; in the current folder for built-ins.
    public func defaultSavePath() -> String {
        let sourcePath = model.weightsSource ?? (model.source.hasPrefix("built-in") ? nil : model.source)
        var base = model.name
        for ext in [".nn", ".safetensors", ".pt", ".pth", ".bin", ".gguf", ".npz", ".npy", ".ckpt"] where base.hasSuffix(ext) {
            base = String(base.dropLast(ext.count))
            break
        }
        if base.isEmpty { base = "model" }
        let file = base + ".edited.safetensors"
        guard let sourcePath else { return file }
        let trimmed = sourcePath.hasSuffix("/") ? String(sourcePath.dropLast()) : sourcePath
        guard let slash = trimmed.lastIndex(of: "/") else { return file }
        return String(trimmed[...slash]) + file
    }

    func save(to requested: String?, confirmed: Bool) throws -> Reaction {
        let path = requested ?? options.savePath ?? defaultSavePath()
        if !confirmed && FileManager.default.fileExists(atPath: path) {
            pendingConfirm = .overwrite(path: path)
            mode = .confirm(question: "\(path) exists: overwrite it? (y/n)")
            return .redraw
        }
        let count: Int
        do {
            if let spec {
                let stateDict = spec.model.stateDict()
                try SafeTensorsWriter.write(stateDict: stateDict, to: path, overwrite: true)
                count = stateDict.count
            } else if let archive = model.archive {
                count = try saveArchive(archive, to: path)
            } else {
                throw ExplorerError("nothing to save")
            }
        } catch {
            throw ExplorerError("save failed: \(error) (edits kept)")
        }
        for index in editedEntries { entries[index].unsavedEditBalance = 0 }
        editedEntries.removeAll()
        unsavedSteps = 0
        setStatus("saved \(count) tensors to \(path)")
        return .redraw
    }

    /// Writes every record of a browsed file: edited ones from their tensors (F32), the rest byte for byte; tied
    /// names stored once with aliases in `__metadata__`.
    func saveArchive(_ archive: TensorArchive, to path: String) throws -> Int {
        var entryOfName: [String: TensorEntry] = [:]
        for entry in entries { for name in entry.names { entryOfName[name] = entry } }
        var tensors: [SafeTensorsWriter.Tensor] = []
        for record in archive.tensors {
            guard let entry = entryOfName[record.name] else { continue }
            if let tensor = entry.materialised {
                tensors.append(f32Tensor(record.name, tensor, tie: "edited-\(entry.id)"))
                continue
            }
            if case .ggml = record.type {
                tensors.append(f32Tensor(record.name, try record.makeTensor(), tie: "converted-\(entry.id)"))
                continue
            }
            var plain = try SafeTensorsWriter.Tensor(record: record)
            plain.tie = "record-\(entry.id)"
            tensors.append(plain)
        }
        let names = Set(archive.tensors.map(\.name))
        let metadata = archive.metadata.filter { !names.contains($0.key) }
        try SafeTensorsWriter.write(tensors: tensors, metadata: metadata, to: path, overwrite: true, storeTiedOnce: true)
        return tensors.count
    }

    func f32Tensor(_ name: String, _ tensor: Tensor, tie: String) -> SafeTensorsWriter.Tensor {
        let bytes = tensor.toArray().withUnsafeBytes { ByteBuffer(copying: $0) }
        return SafeTensorsWriter.Tensor(name: name, type: .f32, shape: tensor.shape, buffer: bytes, tie: tie)
    }

    func quit() -> Reaction {
        if hasUnsavedChanges {
            pendingConfirm = .quitUnsaved
            mode = .confirm(question: "unsaved edits: quit without saving? (y/n; n then w saves them)")
            return .redraw
        }
        wantsQuit = true
        return [.quit]
    }

    func answer(yes: Bool) throws -> Reaction {
        let purpose = pendingConfirm
        pendingConfirm = nil
        mode = .normal
        switch purpose {
        case .overwrite(let path):
            guard yes else {
                setStatus("not saved: \(path) left as it was (W saves under another name)")
                return .redraw
            }
            return try save(to: path, confirmed: true)
        case .quitUnsaved:
            guard yes else {
                setStatus("not quitting: w saves, W saves as…, q quits")
                return .redraw
            }
            wantsQuit = true
            return [.quit]
        case nil:
            return .redraw
        }
    }

    func search(_ text: String, startAfterCursor: Bool) throws -> Reaction {
        let needle = text.lowercased()
        guard !needle.isEmpty else { throw ExplorerError("search: type part of a name") }
        lastSearch = text
        let order = preOrderNodes
        if searchablePaths == nil { searchablePaths = nodes.map { $0.path.lowercased() } }
        let paths = searchablePaths ?? []
        let matches = order.filter { paths[$0].contains(needle) }
        guard !matches.isEmpty else { throw ExplorerError("search: no name contains '\(text)'") }
        var position: [Int: Int] = [:]
        for (i, node) in order.enumerated() { position[node] = i }
        let current = selectedNode.flatMap { position[$0] } ?? -1
        let next = matches.first { startAfterCursor ? position[$0]! > current : position[$0]! >= current }
            ?? matches[0]
        reveal(next)
        focus = .tree
        let number = (matches.firstIndex(of: next) ?? 0) + 1
        setStatus("'\(text)': \(nodes[next].path) (match \(number) of \(matches.count); n for next)")
        return .redraw
    }
}
