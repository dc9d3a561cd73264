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
import picocli.CommandLine.Spec;

/**
 * {@code lab image load [-i FILE]}: {@code docker load}, the inverse of {@code lab image save}:
 * images with their layers, configs and tags. Unlike import it refuses a plain root file system
 * (which has no image metadata to load).
 */
@Command(name = "load", mixinStandardHelpOptions = true,
    description = "Load images from an archive written by lab image save or docker save (keeps layers, config and tags).")
public final class ImageLoad implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RootOption root;

  @Option(names = {"-i", "--input"}, paramLabel = "FILE", description = "Read from FILE (a tar, or an OCI layout directory) instead of standard input.")
  Path input;

  @Override
  public Integer call() {
    OciImageStore store = new OciImageStore(root.root);
    ImageImporter.Result r = ImageImporter.load(store, input, input == null ? Stdio.in : null);
    r.report().forEach(spec.commandLine().getOut()::println);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
