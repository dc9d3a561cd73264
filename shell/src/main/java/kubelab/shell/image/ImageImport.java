package kubelab.shell.image;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import kubelab.container.image.ImageImporter;
import kubelab.container.image.OciImageStore;
import kubelab.shell.RootOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lab image import FILE|DIR|- [NAME[:TAG]]}: {@code docker import} for root file system
 * tarballs (one layer, no CMD), and also image archives (OCI layouts as skopeo, umoci and
 * {@code lab image save} write them; {@code docker save} tarballs), recognized by content. Prints
 * the new image id, as docker import does, or Docker's "Loaded image:" lines for archives.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = {
      "Import a root file system tarball as a one-layer image (like docker import), or an image archive:",
      "an OCI layout (directory or tar, as skopeo/umoci/lab image save write) or a docker save tarball.",
      "gzip is recognized by content. Example: tar -C rootfs -c . | lab image import - mybase:1"
    })
public final class ImageImport implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RootOption root;

  @Parameters(index = "0", paramLabel = "FILE|DIR|-", description = "Tarball, OCI layout directory, or - for standard input.")
  String source;

  @Parameters(index = "1", arity = "0..1", paramLabel = "NAME[:TAG]", description = "Name for the image (default tag: latest).")
  String name;

  @Option(names = {"-m", "--message"}, description = "History comment for a root file system import (default: \"Imported from FILE\").")
  String message;

  @Option(names = "--ref", paramLabel = "REF", description = "Which image of a multi-image archive to import (its ref name or NAME:TAG).")
  String ref;

  @Option(names = {"-c", "--change"}, paramLabel = "INSTRUCTION",
      description = "Apply a Dockerfile instruction to the imported root file system's config, e.g. -c 'CMD [\"sh\"]' (repeatable).")
  java.util.List<String> changes = new java.util.ArrayList<>();

  @Override
  public Integer call() {
    OciImageStore store = new OciImageStore(root.root);
    ImageImporter.Result r = source.equals("-")
        ? ImageImporter.importStream(store, Stdio.in, name, ref, message, changes)
        : ImageImporter.importPath(store, Path.of(source), name, ref, message, changes);
    r.report().forEach(spec.commandLine().getOut()::println);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
