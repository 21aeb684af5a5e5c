/// NNModules: see docs/architecture.md.
public enum NNModulesNamespace {}
