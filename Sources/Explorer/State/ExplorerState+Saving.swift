import Foundation
import NNCore
import ModelFiles

extension ExplorerState {
    /// `<name>.edited.safetensors` next to the weights (or spec) file, `<name>.edited.gguf` for a GGUF model (its
    /// blocks and metadata kept), `<name>.edited.onnx` for an ONNX model (its graph kept, external data beside it
    /// in `<name>.edited.onnx.data`); in the current folder for built-ins.
    public func defaultSavePath() -> String {
        let sourcePath = model.weightsSource ?? (model.source.hasPrefix("built-in") ? nil : model.source)
        var base = model.name
        for ext in [".nn", ".safetensors", ".pt", ".pth", ".bin", ".gguf", ".npz", ".npy", ".ckpt", ".onnx"] where base.hasSuffix(ext) {
            base = String(base.dropLast(ext.count))
            break
        }
        if base.isEmpty { base = "model" }
        let file = base + (spec == nil ? SavePath.editedExtension(archiveFormat: model.archive?.format) : ".edited.safetensors")
        guard let sourcePath else { return file }
        let trimmed = sourcePath.hasSuffix("/") ? String(sourcePath.dropLast()) : sourcePath
        guard let slash = trimmed.lastIndex(of: "/") else { return file }
        return String(trimmed[...slash]) + file
    }

    /// Saves every tensor in its own dtype, in the format the extension names (.safetensors, .npz, .npy, .gguf), as
    /// `nnview convert` writes it. A folder or an extension nnview cannot write is refused before anything is
    /// asked; an existing file is confirmed once, but not the file this session itself last wrote.
    func save(to requested: String?, confirmed: Bool) throws -> Reaction {
        let path = SavePath.expandingTilde(requested ?? options.savePath ?? defaultSavePath())
        let format = try SavePath.format(of: path)
        if !confirmed && path != lastSavedPath && FileManager.default.fileExists(atPath: path) {
            prompts.ask(.overwrite(path: path), question: "\(path) exists: overwrite it? (y/n)")
            return .redraw
        }
        let report: ModelConverter.Report
        do {
            report = try ModelConverter.convert(try archiveToSave(), to: path, format: format)
        } catch {
            throw ExplorerError("save failed: \(error) (edits kept)")
        }
        lastSavedPath = path
        history.markSaved(entries)
        run.saved()
        setStatus("saved " + SavePath.describe(report) + " to \(path)")
        return .redraw
    }

    /// What is saved: a live model's state dict (F32), or a browsed file's records with each edited tensor
    /// encoded back into its own dtype (a quantized one as its ggml blocks, re-quantized where edited; formats
    /// without ggml types then store its values as F32).
    func archiveToSave() throws -> TensorArchive {
        if let spec { return TensorArchive(stateDict: spec.model.stateDict(), source: model.source) }
        if let session { return TensorArchive(stateDict: sessionStateDict(session), source: model.source) }
        guard let archive = model.archive else { throw ExplorerError("nothing to save") }
        var entryOfName: [String: TensorEntry] = [:]
        for entry in entries { for name in entry.names { entryOfName[name] = entry } }
        var storages: [Int: StorageReference] = [:]
        var records: [TensorRecord] = []
        for record in archive.tensors {
            guard let entry = entryOfName[record.name] else { continue }
            guard entry.wasEdited, let tensor = entry.materialised else {
                records.append(record)
                continue
            }
            let type: ElementType = ElementEncoder.canEncode(record.type) || entry.isQuantized ? record.type : .f32
            if storages[entry.id] == nil {
                let bytes = entry.isQuantized
                    ? try QuantizedBlocks.bytes(of: entry, record: record, values: tensor.toArray())
                    : try ElementEncoder.bytes(of: tensor.toArray(), as: type)
                let buffer = ByteBuffer(copying: bytes)
                storages[entry.id] = StorageReference(buffer: buffer, byteOffset: 0, byteCount: buffer.count,
                                                      key: "edited/\(entry.id)")
            }
            records.append(TensorRecord(name: record.name, type: type, shape: record.shape, storage: storages[entry.id]!))
        }
        let names = Set(archive.tensors.map(\.name))
        return TensorArchive(tensors: records, metadata: archive.metadata.filter { !names.contains($0.key) },
                             source: archive.source, format: archive.format)
    }

    func quit() -> Reaction {
        if hasUnsavedChanges {
            prompts.ask(.quitUnsaved, question: "unsaved edits: quit without saving? (y/n; n then w saves them)")
            return .redraw
        }
        wantsQuit = true
        return [.quit]
    }

    func answer(yes: Bool) throws -> Reaction {
        let purpose = prompts.closeQuestion()
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
        guard !text.isEmpty else { throw ExplorerError("search: type part of a name") }
        prompts.lastSearch = text
        guard let match = treeCursor.nextMatch(of: text, afterSelection: startAfterCursor) else {
            throw ExplorerError("search: no name contains '\(text)'")
        }
        treeCursor.reveal(match.node)
        focus = .tree
        setStatus("'\(text)': \(treeCursor.nodes[match.node].path) (match \(match.number) of \(match.count); n for next)")
        return .redraw
    }
}
