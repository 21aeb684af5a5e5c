import Foundation

/// Reads a sharded checkpoint through its `model.safetensors.index.json`
/// (`{"metadata": {"total_size": …}, "weight_map": {"name": "model-00001-of-00002.safetensors"}}`), or through
/// `pytorch_model.bin.index.json`, whose shards are `torch.save` files (`pytorch_model-00001-of-00002.bin`).
///
/// Each shard is mapped (which reads nothing) and only its header is parsed; every name of the weight map must be
/// in the shard it points to, and every tensor of a shard must be in the weight map.
public enum SafeTensorsIndex {
    /// Largest index file read (the JSON is loaded into memory).
    public static let maximumIndexSize = 100_000_000

    /// Opens the index at `path` and the shards it names (in the same folder).
    public static func read(path: String) throws -> TensorArchive {
        let buffer = try ByteBuffer.map(path: path)
        func fail(_ message: String) -> SafeTensorsError { SafeTensorsError(.invalidIndex, message, file: path) }
        guard buffer.count <= maximumIndexSize else {
            throw fail("index is \(buffer.count) bytes, more than the \(maximumIndexSize)-byte limit")
        }
        let json: JSONValue
        do {
            json = try JSONParser.parse(buffer.bytes)
        } catch {
            throw fail("index is not valid JSON: \(error)")
        }
        guard case .object(let top) = json else { throw fail("index is \(json.kind), not a JSON object") }
        guard case .object(let weightMap)? = top.first(where: { $0.key == "weight_map" })?.value else {
            throw fail("index has no \"weight_map\" object")
        }
        var metadata: [(key: String, value: String)] = []
        if let value = top.first(where: { $0.key == "metadata" })?.value {
            switch value {
            case .object(let pairs): metadata = pairs.map { ($0.key, $0.value.displayText) }
            case .null: break
            default: throw fail("index \"metadata\" is \(value.kind), not an object")
            }
        }

        let folder = (path as NSString).deletingLastPathComponent
        var shardOrder: [String] = []
        var namesByShard: [String: [String]] = [:]
        for (name, value) in weightMap {
            guard case .string(let shard) = value else {
                throw fail("weight_map entry \"\(name)\" is \(value.kind), not a file name")
            }
            // Shards live next to the index; a path would let an index reach any file on the machine.
            guard !shard.isEmpty, !shard.contains("/"), shard != ".", shard != ".." else {
                throw fail("weight_map entry \"\(name)\" names \"\(shard)\", which is not a file name in the index's folder")
            }
            guard !shard.hasSuffix(".json") else {
                throw fail("weight_map entry \"\(name)\" names \"\(shard)\", an index, not a shard of weights")
            }
            if namesByShard[shard] == nil { shardOrder.append(shard) }
            namesByShard[shard, default: []].append(name)
        }

        var tensors: [TensorRecord] = []
        var aliases: [String: String] = [:]
        for shard in shardOrder {
            let shardPath = folder.isEmpty ? shard : folder + "/" + shard
            let archive = try readShard(shard, path: shardPath)
            let listed = Set(namesByShard[shard] ?? [])
            let present = Set(archive.tensors.map(\.name))
            if let missing = namesByShard[shard]?.first(where: { !present.contains($0) }) {
                throw fail("weight_map puts \"\(missing)\" in \(shard), which does not hold it")
            }
            if let extra = archive.tensors.first(where: { !listed.contains($0.name) && archive.aliases[$0.name] == nil }) {
                throw fail("shard \(shard) holds \"\(extra.name)\", which the weight_map does not list")
            }
            tensors += archive.tensors
            aliases.merge(archive.aliases) { first, _ in first }
        }
        metadata.append(("shards", String(shardOrder.count)))
        let format = shardOrder.allSatisfy { $0.hasSuffix(".safetensors") } ? "safetensors-sharded" : "pytorch-sharded"
        return TensorArchive(tensors: tensors, metadata: metadata, source: path, format: format, aliases: aliases)
    }

    /// A safetensors shard, or a `torch.save` shard of `pytorch_model.bin.index.json`. The storage keys of a
    /// torch.save file ("0", "1", …) restart in every shard, so they are prefixed with the shard's name: equal keys
    /// in two shards are not one tensor.
    static func readShard(_ shard: String, path: String) throws -> TensorArchive {
        if shard.hasSuffix(".safetensors") { return try SafeTensorsReader.read(path: path) }
        var archive = try ModelFileReader.readPyTorch(path: path, buffer: ByteBuffer.map(path: path))
        for index in archive.tensors.indices {
            archive.tensors[index].storage.key = shard + ":" + archive.tensors[index].storage.key
        }
        return archive
    }
}
