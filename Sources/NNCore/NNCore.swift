/// NNCore: see docs/architecture.md.
public enum NNCoreNamespace {}
