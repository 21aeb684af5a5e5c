/// Explorer: see docs/architecture.md.
public enum ExplorerNamespace {}
