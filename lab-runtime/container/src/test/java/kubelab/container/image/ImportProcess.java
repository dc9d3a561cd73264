package kubelab.container.image;

import java.nio.file.Path;

/** A separate process that imports a file into a store: CrashSafetyTest kills it mid-way. */
public final class ImportProcess {
  private ImportProcess() {}

  public static void main(String[] args) {
    ImageImporter.importPath(new OciImageStore(Path.of(args[0])), Path.of(args[1]), args[2], null, null);
  }
}
