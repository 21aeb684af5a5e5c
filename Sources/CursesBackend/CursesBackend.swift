/// CursesBackend: see docs/architecture.md.
public enum CursesBackendNamespace {}
import CNcursesw
