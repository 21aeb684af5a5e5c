/// ModelFiles: see docs/architecture.md.
public enum ModelFilesNamespace {}
