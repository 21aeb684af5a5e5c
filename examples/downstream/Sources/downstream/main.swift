// The README's library example, compiled outside the nnview package.
import NNCore
import NNModules

// net = nn.Sequential(nn.LazyLinear(256), nn.ReLU(), nn.LazyLinear(10)); X = torch.rand(2, 20); net(X).shape
let net = Sequential(LazyLinear(256), ReLU(), LazyLinear(10))
let X = Tensor.rand([2, 20])
print(try net(X).shape)                        // [2, 10]

// Tied parameters: one module at two positions, gradients from both uses add up.
let shared = LazyLinear(8)
let tied = Sequential(LazyLinear(8), ReLU(), shared, ReLU(), shared, ReLU(), LazyLinear(1))
try tied(Tensor.rand([2, 4])).sum().backward()
let weight = try tied[2].parameter("weight")
print(weight.gradientContributions.map(\.site))  // ["2", "4"]: the gradient split by use
