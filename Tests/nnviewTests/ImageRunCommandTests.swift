import Foundation
import ModelFiles
import TestSupport
import Testing

/// `nnview run CHECKPOINT --image FILE | --input FILE` through the real binary: torchvision's MobileNetV2 on the
/// fixture photo gives torchvision's top-5 and PyTorch's logits; hostile photos, a state dict of no architecture
/// and text/image mix-ups are one line and exit 1; usage mistakes exit 2.
@Suite struct ImageRunCommandTests {
    /// A fixture kept by another test target (ImagesTests: photos; ArchitecturesTests: torchvision's outputs).
    static func fixture(_ target: String, _ relative: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(target).appendingPathComponent("Fixtures").appendingPathComponent(relative).path
    }

    static let chelsea = fixture("ImagesTests", "chelsea.png")
    static let mobileNetExpect = fixture("ImagesTests", "mobilenet_v2.chelsea.expect.safetensors")

    static func values(_ path: String) throws -> [String: (shape: [Int], values: [Float])] {
        var result: [String: (shape: [Int], values: [Float])] = [:]
        for record in try SafeTensorsReader.read(path: path).tensors {
            result[record.name] = (record.shape, try record.floatValues(limit: 1 << 24))
        }
        return result
    }

    static func jsonObject(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text)")
    }

    /// torchvision's top-5 for chelsea.png as (index, label, probability).
    static func expectedTop5() throws -> [(Int, String, Double)] {
        let url = URL(fileURLWithPath: fixture("ArchitecturesTests", "mobilenet_v2.expect.json"))
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: [[Any]]]
        let rows = try #require(object?["chelsea.png"])
        return try rows.map { (try #require($0[0] as? Int), try #require($0[1] as? String), try #require($0[2] as? Double)) }
    }

    // MARK: The real MobileNetV2

    @Test func realMobileNetV2NamesThePhotoAsTorchvisionDoes() throws {
        guard let checkpoint = try RealModels.url(RealModels.mobileNetV2Checkpoint) else { return }
        let run = try NNViewProcess.run(["run", checkpoint.path, "--image", Self.chelsea, "--json"], timeout: 600)
        print("nnview run mobilenet_v2 --image chelsea.png: \(String(format: "%.1f", run.seconds)) s")
        #expect(run.status == 0, "\(run.stderr)")
        let object = try Self.jsonObject(run.stdout)
        #expect(object["architecture"] as? String == "mobilenet_v2")
        #expect(object["classes"] as? Int == 1000)
        #expect(object["input_shape"] as? [Int] == [1, 3, 224, 224])
        let top = try #require(object["top"] as? [[String: Any]])
        let expected = try Self.expectedTop5()
        #expect(top.map { $0["index"] as? Int } == expected.map { $0.0 })
        #expect(top.map { $0["label"] as? String } == expected.map { $0.1 })
        for (shown, (_, label, probability)) in zip(top, expected) {
            let value = try #require(shown["probability"] as? Double)
            #expect(abs(value - probability) <= 1e-3, "\(label): nnview \(value), torchvision \(probability)")
        }
        let images = try #require(object["images"] as? [[String: Any]])
        #expect(images.count == 1 && images[0]["source"] as? String == Self.chelsea)
    }

    @Test func realMobileNetV2GivesPyTorchsLogitsForTheGivenInput() throws {
        guard let checkpoint = try RealModels.url(RealModels.mobileNetV2Checkpoint) else { return }
        let scratch = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("run.safetensors").path
        let run = try NNViewProcess.run(["run", checkpoint.path, "--input", Self.mobileNetExpect, "--out", out], timeout: 600)
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasSuffix("mobilenet_v2 (recognised from its names and shapes), 1000 classes · 1 image · input [1, 3, 224, 224] · eval mode") == true,
                "\(run.stdout)")
        #expect(lines.dropFirst().first == "image 1: \(Self.mobileNetExpect) input[0]")
        #expect(lines.dropFirst(2).first?.hasSuffix("%  Egyptian cat (285)") == true, "\(run.stdout)")
        #expect(lines.count == 8 && lines[7] == "wrote \(out): input [1, 3, 224, 224], logits [1, 1000]", "\(run.stdout)")
        // The README's example shows these lines (from the photo, which gives the same percentages).
        let readme = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md"), encoding: .utf8).split(separator: "\n").map(String.init)
        let example = try #require(readme.firstIndex(of: "$ nnview run mobilenet_v2-b0353104.pth --image chelsea.png --out run.safetensors"))
        #expect(readme[example + 1] == "mobilenet_v2-b0353104.pth: " + (lines.first?.split(separator: " ", maxSplits: 1).last ?? ""))
        #expect(Array(readme[example + 3 ... example + 7]) == Array(lines[2 ..< 7]), "the README's example is out of date")
        let written = try Self.values(out)
        let expected = try Self.values(Self.mobileNetExpect)
        #expect(Set(written.keys) == ["input", "logits"])
        #expect(written["input"]?.values == expected["input"]?.values, "the input is written as given")
        let logits = try #require(written["logits"]), reference = try #require(expected["logits"])
        #expect(logits.shape == [1, 1000])
        let worst = zip(logits.values, reference.values).map { abs($0 - $1) }.max() ?? .infinity
        #expect(logits.values.count == 1000 && worst <= 1e-4, "logits differ from PyTorch's by up to \(worst)")
    }

    // MARK: Another classifier, batches, JSON per image

    @Test func aBatchOfPhotosOnATenClassModel() throws {
        let model = try Self.tenClassModel.get()
        let scratch = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("run.safetensors").path
        let jpeg = Self.fixture("ImagesTests", "images/baseline.jpg")
        let run = try NNViewProcess.run(["run", model, "--image", Self.chelsea, "--image", jpeg, "--top", "20", "--json", "--out", out],
                                        timeout: 300)
        #expect(run.status == 0, "\(run.stderr)")
        let object = try Self.jsonObject(run.stdout)
        #expect(object["architecture"] as? String == "mobilenet_v3_small")
        #expect(object["classes"] as? Int == 10)
        #expect(object["top"] == nil, "several images: no top-level top")
        let images = try #require(object["images"] as? [[String: Any]])
        #expect(images.map { $0["source"] as? String } == [Self.chelsea, jpeg])
        let written = try Self.values(out)
        let logits = try #require(written["logits"])
        #expect(logits.shape == [2, 10])
        #expect(written["input"]?.shape == [2, 3, 224, 224])
        let rowDifference = zip(logits.values[0 ..< 10], logits.values[10 ..< 20]).map { abs($0 - $1) }.max() ?? 0
        // Untrained weights see little of a photo (6e-4 here), still far above float32 noise: the rows are in order.
        #expect(rowDifference > 1e-4, "the two photos give different logits, so their order matters")
        for (row, image) in images.enumerated() {
            let top = try #require(image["top"] as? [[String: Any]])
            #expect(top.count == 10, "--top 20 shows the 10 classes there are")
            let rowLogits = logits.values[row * 10 ..< row * 10 + 10].map(Double.init)
            let largest = rowLogits.max() ?? 0
            let total = rowLogits.map { exp($0 - largest) }.reduce(0, +)
            for entry in top {
                let index = try #require(entry["index"] as? Int)
                #expect(entry["label"] as? String == "class \(index)")
                let probability = try #require(entry["probability"] as? Double)
                #expect(abs(probability - exp(rowLogits[index] - largest) / total) < 1e-6, "image \(row) class \(index)")
            }
            #expect(Set(top.compactMap { $0["index"] as? Int }) == Set(0 ..< 10))
            let probabilities = top.compactMap { $0["probability"] as? Double }
            #expect(probabilities == probabilities.sorted(by: >))
            #expect(abs(probabilities.reduce(0, +) - 1) < 1e-5)
        }
        // Each photo is in its place in the batch: the first is torchvision's input for chelsea.png (within 2/255
        // before Normalize), the second has the JPEG's crop's channel means (Pillow's pixel sums in the fixture).
        let input = try #require(written["input"]).values
        let plane = 224 * 224
        let reference = try #require(try Self.values(Self.mobileNetExpect)["input"]).values
        let worst = zip(input[0 ..< 3 * plane], reference).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst <= 2 / 255 / 0.224 + 1e-5, "chelsea.png differs from torchvision's input by \(worst)")
        let sums = try #require(try Self.values(Self.fixture("ImagesTests", "images/baseline.jpg.expect.safetensors"))["crop_sums"]).values
        let (mean, std): ([Float], [Float]) = ([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
        for channel in 0 ..< 3 {
            let start = 3 * plane + channel * plane
            let pixelMean = input[start ..< start + plane].map { ($0 * std[channel] + mean[channel]) * 255 }.reduce(0, +) / Float(plane)
            #expect(abs(pixelMean - sums[channel] / Float(plane)) < 0.5, "baseline.jpg channel \(channel): \(pixelMean)")
        }
    }

    /// SplitMix64 of `index` as a number in [-1, 1): weights without the structure of a smooth formula, which
    /// makes every image's features alike.
    static func splitMix(_ index: UInt64) -> Double {
        var z = index &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53) * 2 - 1
    }

    /// A mobilenet_v3_small state dict for 10 classes with formula weights (names and shapes from torchvision's
    /// structure in ArchitecturesTests' fixtures), written once per test process.
    static let tenClassModel = Result(catching: { try makeTenClassModel() })

    static func makeTenClassModel() throws -> String {
        let structureURL = URL(fileURLWithPath: fixture("ArchitecturesTests", "vision_structure.json"))
        let structure = try JSONSerialization.jsonObject(with: Data(contentsOf: structureURL)) as? [String: [String: Any]]
        guard let entries = structure?["mobilenet_v3_small"]?["state_dict"] as? [[Any]] else {
            throw ModelFileError("no mobilenet_v3_small state_dict", file: structureURL.path)
        }
        var tensors: [(name: String, type: ElementType, shape: [Int], bytes: [UInt8])] = []
        for (position, entry) in entries.enumerated() {
            guard let name = entry[0] as? String, var shape = entry[1] as? [Int] else {
                throw ModelFileError("entry \(position) is not [name, shape, dtype]", file: structureURL.path)
            }
            if name.hasPrefix("classifier.3.") { shape[0] = 10 }
            if name.hasSuffix("num_batches_tracked") {
                tensors.append((name, .i64, shape, [UInt8](repeating: 0, count: 8)))
                continue
            }
            let count = shape.reduce(1, *)
            let fanIn = shape.count > 1 ? shape.dropFirst().reduce(1, *) : 1
            let values: [Float] = (0 ..< count).map { index in
                if name.hasSuffix("running_var") { return 1 }
                if name.hasSuffix("running_mean") { return 0 }
                if shape.count == 1 && name.hasSuffix(".weight") { return 1 }
                let uniform = Float(Self.splitMix(UInt64(position) * 10_000_000 + UInt64(index)))
                return shape.count == 1 ? 0.1 * uniform : uniform * Float(sqrt(6.0 / Double(fanIn)))
            }
            tensors.append((name, .f32, shape, values.withUnsafeBytes { [UInt8]($0) }))
        }
        // In this process's scratch space (removed at exit), so nothing is left in the temporary folder.
        let path = try ScratchSpace.file("mobilenet_v3_small-10-classes", extension: "safetensors")
        try SafeTensorsWriter.write(tensors: tensors, to: path)
        return path
    }

    // MARK: Bad input: exit 1, one line

    @Test(arguments: [("hostile/truncated.png", "truncated.png"), ("hostile/truncated.jpg", "truncated.jpg"),
                      ("hostile/huge.png", "200000 × 200000"), ("hostile/garbage.png", "garbage.png"),
                      ("hostile/empty.png", "empty file"), ("hostile/gif.jpg", "gif.jpg"),
                      ("images/baseline.jpg.expect.safetensors", "not a PNG or JPEG image")])
    func hostilePhotosAreOneLine(_ relative: String, _ expected: String) throws {
        let model = try Self.tenClassModel.get()
        let photo = Self.fixture("ImagesTests", relative)
        let run = try NNViewProcess.run(["run", model, "--image", Self.chelsea, "--image", photo], timeout: 120)
        #expect(run.status == 1, "\(relative): status \(run.status), \(run.stderr)")
        #expect(run.stderrLines.count == 1, "\(relative): \(run.stderr)")
        #expect(run.stderr.hasPrefix("nnview: \(photo): "), "names the photo: \(run.stderr)")
        #expect(run.stderr.contains(expected), "\(relative): \(run.stderr)")
        #expect(run.stdout.isEmpty && !run.crashed)
    }

    @Test func aStateDictOfNoArchitectureIsOneLine() throws {
        let tiny = Fixtures.path("pytorch/tiny.pt")
        let run = try NNViewProcess.run(["run", tiny, "--image", Self.chelsea], timeout: 120)
        #expect(run.status == 1 && run.stderrLines.count == 1, "\(run.status): \(run.stderr)")
        #expect(run.stderr.hasPrefix("nnview: \(tiny): the state dict matches no known architecture"), "\(run.stderr)")
        #expect(run.stderr.contains("nearest: ") && run.stderr.contains("first mismatch: "), "\(run.stderr)")
        // Told the architecture, the same file does not fit it.
        let told = try NNViewProcess.run(["run", tiny, "--arch", "resnet18", "--image", Self.chelsea], timeout: 120)
        #expect(told.status == 1 && told.stderrLines.count == 1, "\(told.status): \(told.stderr)")
        #expect(told.stderr.contains(tiny) && told.stderr.contains("do not fit"), "\(told.stderr)")
    }

    @Test func anInputFileOfTheWrongShapeIsOneLine() throws {
        let model = try Self.tenClassModel.get()
        let scratch = try Fixtures.scratchFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let grey = scratch.appendingPathComponent("grey.safetensors").path
        try SafeTensorsWriter.write(tensors: [(name: "input", type: .f32, shape: [1, 1, 8, 8], bytes: [UInt8](repeating: 0, count: 256))], to: grey)
        for (file, expected) in [(RunCommandTests.fixture("gpt2/expect.safetensors"), "has no tensor named \"input\""),
                                 (grey, "input has shape [1, 1, 8, 8], expected [N, 3, H, W]")] {
            let run = try NNViewProcess.run(["run", model, "--input", file], timeout: 120)
            #expect(run.status == 1 && run.stderrLines.count == 1, "\(file): \(run.status) \(run.stderr)")
            #expect(run.stderr.contains(file) && run.stderr.contains(expected), "\(run.stderr)")
        }
    }

    @Test func textsAndImagesGoToTheirKindOfModel() throws {
        let gpt2 = RunCommandTests.fixture("gpt2")
        let imageOnText = try NNViewProcess.run(["run", gpt2, "--image", Self.chelsea])
        #expect(imageOnText.status == 1 && imageOnText.stderrLines.count == 1, "\(imageOnText.stderr)")
        #expect(imageOnText.stderr.contains("\(gpt2): is a text model"), "\(imageOnText.stderr)")
        let model = try Self.tenClassModel.get()
        let textOnImage = try NNViewProcess.run(["run", model, "--text", "a cat"], timeout: 120)
        #expect(textOnImage.status == 1 && textOnImage.stderrLines.count == 1, "\(textOnImage.stderr)")
        #expect(textOnImage.stderr.contains("\(model): is an image classifier (mobilenet_v3_small); give it --image FILE or --input FILE"),
                "\(textOnImage.stderr)")
    }

    // MARK: Usage mistakes: exit 2

    @Test(arguments: [["--image", "a.png", "--text", "a cat"], ["--image", "a.png", "--input", "b.safetensors"],
                      ["--image", "a.png", "--arch", "vgg16"], ["--text", "a cat", "--arch", "resnet18"],
                      ["--image", "a.png", "--loss", "lm"], ["--image", "a.png", "--out", "run.txt"],
                      ["--image", "a.png", "--top", "0"], ["--input", "b.safetensors", "--ids", "c.safetensors"]])
    func usageMistakesExitTwo(_ options: [String]) throws {
        let run = try NNViewProcess.run(["run", "model.pth"] + options)
        #expect(run.status == 2, "\(options): \(run.status) \(run.stderr)")
        #expect(run.stderrLines.count == 1 && run.stderr.hasPrefix("nnview: "), "\(options): \(run.stderr)")
        #expect(run.stdout.isEmpty)
    }
}
