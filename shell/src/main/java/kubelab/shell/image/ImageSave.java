package kubelab.shell.image;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import kubelab.container.image.ImageSaver;
import kubelab.container.image.OciImageStore;
import kubelab.shell.RootOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lab image save IMAGE... [-o PATH] [--format tar|oci]}: {@code docker save}. The default is
 * a tar of an OCI image layout (index.json, oci-layout, blobs/sha256/...; plus docker save's
 * manifest.json) on standard output or in PATH; {@code --format oci} writes the layout as a
 * directory. umoci and skopeo read both ({@code skopeo inspect oci:DIR:TAG}).
 */
@Command(name = "save", mixinStandardHelpOptions = true,
    description = {
      "Save images with their layers, config and tags as an OCI image layout.",
      "Default: a tar on standard output (or -o FILE); --format oci: a layout directory (-o DIR)."
    })
public final class ImageSave implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RootOption root;

  @Parameters(arity = "1..*", paramLabel = "IMAGE")
  List<String> images;

  @Option(names = {"-o", "--output"}, paramLabel = "PATH", description = "Write to PATH instead of standard output.")
  Path output;

  @Option(names = "--format", paramLabel = "tar|oci", defaultValue = "tar",
      description = "tar (default): a tar of an OCI layout; oci: an OCI layout directory (needs -o).")
  String format;

  @Override
  public Integer call() {
    OciImageStore store = new OciImageStore(root.root);
    ImageSaver.Format f = switch (format) {
      case "tar", "oci-archive", "docker-archive" -> ImageSaver.Format.TAR;
      case "oci", "oci-dir" -> ImageSaver.Format.OCI_DIR;
      default -> throw new IllegalArgumentException("unknown --format \"" + format + "\": use tar or oci");
    };
    if (f == ImageSaver.Format.OCI_DIR && output == null) {
      throw new IllegalArgumentException("--format oci writes a directory: give it with -o DIR");
    }
    if (output != null) {
      ImageSaver.save(store, images, output, f);
    } else {
      Stdio.refuseTerminal("an image archive");
      ImageSaver.save(store, images, Stdio.out);
    }
    return 0;
  }
}
