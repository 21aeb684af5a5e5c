import ArgumentParser
import Foundation

extension NNView {
    /// Runs the command with nnview's exit codes: 0 on success, 1 with one line on stderr when a file or model
    /// can't be used, 2 with the usage when the command line is wrong.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)  // --help, --version: ArgumentParser prints them
            } else if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            } else {
                let line = "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
                FileHandle.standardError.write(Data("nnview: \(line)\n".utf8))
                Foundation.exit(1)
            }
        }
    }
}
