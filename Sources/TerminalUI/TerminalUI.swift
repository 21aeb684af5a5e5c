/// TerminalUI: see docs/architecture.md.
public enum TerminalUINamespace {}
