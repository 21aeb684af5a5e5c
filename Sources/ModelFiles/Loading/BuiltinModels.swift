/// The .nn sources of examples/, compiled in so `nnview tied` works from any folder.
/// A test checks that each equals its file in examples/.
public enum BuiltinModels {
    /// The built-in names, in the order `nnview --help` lists them.
    public static let names: [String] = ["tied", "chimera", "mlp", "nest", "sequential", "classifier", "fixedhidden", "mysequential", "transformer", "rgnet", "custom"]

    /// The .nn source of the built-in model `name`, or nil.
    public static func source(of name: String) -> String? { sources[name] }

    static let sources: [String: String] = [
        "chimera": #"""
# The book's chimera: custom modules and Sequential mixed freely.
model = Sequential(NestMLP(), LazyLinear(20), FixedHiddenMLP())
input = rand(2, 20)

"""#,
        "classifier": #"""
# A classifier trained with cross-entropy: named children, class indices as the target.
model = Sequential(
    hidden=LazyLinear(64),
    act=ReLU(),
    out=Linear(64, 10),
)
input = randn(4, 20)
target = randint(0, 10, 4)
loss = "cross-entropy"
lr = 0.1
seed = 7

"""#,
        "fixedhidden": #"""
# The book's FixedHiddenMLP: a constant random weight (a buffer, not trained), one Linear
# layer used twice, and control flow in forward.
model = FixedHiddenMLP()
input = rand(2, 20)

"""#,
        "mlp": #"""
# The book's MLP class: hidden = LazyLinear(256), out = LazyLinear(10), ReLU in between.
model = MLP()
input = rand(2, 20)
loss = mean

"""#,
        "mysequential": #"""
# The book's MySequential: a hand-written Sequential that runs its children in order.
model = MySequential(LazyLinear(256), ReLU(), LazyLinear(10))
input = rand(2, 20)

"""#,
        "nest": #"""
# The book's NestMLP: a Sequential inside a custom module.
model = NestMLP()
input = rand(2, 20)

"""#,
        "sequential": #"""
# The book's first network (layers and modules): a hidden layer of 256 units and 10 outputs.
model = Sequential(LazyLinear(256), ReLU(), LazyLinear(10))
input = rand(2, 20)
loss = sum

"""#,
        "tied": #"""
# The book's tied network (builders' guide, parameter management): the same LazyLinear
# instance sits at positions 2 and 4, so 2.weight and 4.weight are one parameter.
shared = LazyLinear(8)
model = Sequential(LazyLinear(8), ReLU(), shared, ReLU(), shared, ReLU(), LazyLinear(1))
input = rand(2, 4)
loss = sum

"""#,
        "transformer": #"""
# A transformer-ish feed-forward block over token embeddings:
# tokens [batch, sequence] → Embedding → LayerNorm → Linear ↑ → GELU → Linear ↓ → Dropout.
width = 32
model = Sequential(
    embed=Embedding(100, width),
    norm=LayerNorm(width),
    up=Linear(width, 128),
    act=GELU(),
    down=Linear(128, width),
    drop=Dropout(0.1),
)
input = randint(0, 100, 2, 8)    # token ids
loss = mean

"""#,
        "rgnet": #"""
# The book's rgnet (6.2): block2 nests four block1s named "block 0" … "block 3".
model = Sequential(
    Sequential(OrderedDict([
        ("block 0", Sequential(LazyLinear(8), ReLU(), LazyLinear(4), ReLU())),
        ("block 1", Sequential(LazyLinear(8), ReLU(), LazyLinear(4), ReLU())),
        ("block 2", Sequential(LazyLinear(8), ReLU(), LazyLinear(4), ReLU())),
        ("block 3", Sequential(LazyLinear(8), ReLU(), LazyLinear(4), ReLU())),
    ])),
    LazyLinear(1),
)
input = rand(2, 4)

"""#,
        "custom": #"""
# The book's custom layers (6.5): CenteredLayer has no parameters and centres its input; MyLinear holds its own
# weight [in_units, units] and bias, and reads them through .data, so a backward pass gives them no gradient.
model = Sequential(LazyLinear(64), CenteredLayer(), MyLinear(64, 8), MyLinear(8, 1))
input = rand(2, 20)
loss = sum

"""#,
    ]
}
