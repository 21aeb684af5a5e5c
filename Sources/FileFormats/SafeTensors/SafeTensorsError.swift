/// A safetensors problem, named after the reference implementation's `SafeTensorError` variant so messages can be
/// matched to formats.md §1.
public struct SafeTensorsError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Which rule was broken.
    public enum Kind: Equatable, Sendable, CustomStringConvertible {
        case headerTooSmall, headerTooLarge, invalidHeaderLength, invalidHeader, invalidHeaderDeserialization
        case invalidOffset(String)
        case validationOverflow, misalignedSlice, tensorInvalidInfo, metadataIncompleteBuffer
        /// A tensor named `__metadata__` (reading or writing).
        case reservedName
        /// The same tensor name twice.
        case duplicateName
        /// Sharded index problems (missing shard, a name its shard lacks, …).
        case invalidIndex
        /// Writer: the file exists and overwriting was not allowed; bytes or shapes that do not match.
        case invalidWrite

        public var description: String {
            switch self {
            case .headerTooSmall: return "HeaderTooSmall"
            case .headerTooLarge: return "HeaderTooLarge"
            case .invalidHeaderLength: return "InvalidHeaderLength"
            case .invalidHeader: return "InvalidHeader"
            case .invalidHeaderDeserialization: return "InvalidHeaderDeserialization"
            case .invalidOffset(let name): return "InvalidOffset(\(name))"
            case .validationOverflow: return "ValidationOverflow"
            case .misalignedSlice: return "MisalignedSlice"
            case .tensorInvalidInfo: return "TensorInvalidInfo"
            case .metadataIncompleteBuffer: return "MetadataIncompleteBuffer"
            case .reservedName: return "ReservedName"
            case .duplicateName: return "DuplicateName"
            case .invalidIndex: return "InvalidIndex"
            case .invalidWrite: return "InvalidWrite"
            }
        }
    }

    /// The broken rule.
    public var kind: Kind
    /// What is wrong, in words.
    public var message: String
    /// The file, when known.
    public var file: String

    public init(_ kind: Kind, _ message: String, file: String = "") {
        self.kind = kind
        self.message = message
        self.file = file
    }

    /// The same error attributed to `file` (keeps an existing attribution).
    public func inFile(_ file: String) -> SafeTensorsError {
        var copy = self
        if copy.file.isEmpty { copy.file = file }
        return copy
    }

    public var description: String {
        (file.isEmpty ? "" : "\(file): ") + "safetensors \(kind): \(message)"
    }

    /// As the package-wide error type.
    public var modelFileError: ModelFileError { ModelFileError("safetensors \(kind): \(message)", file: file) }
}
