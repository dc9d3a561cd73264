package kubelab.shell.image;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import kubelab.container.image.OciImageStore;
import kubelab.shell.RootOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lab image rm [-f] IMAGE...}: {@code docker rmi}. Removing one of several tags only
 * untags; removing the last deletes the image, its untagged build parents, and every blob and
 * unpacked layer no other image needs. Refuses while a container uses the image unless -f.
 */
@Command(name = "rm", aliases = {"rmi", "remove"}, mixinStandardHelpOptions = true,
    description = "Remove images (untag, then delete the image and the blobs and layers nothing else uses).")
public final class ImageRm implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RootOption root;

  @Option(names = {"-f", "--force"}, description = "Remove even if a container uses the image (its layers stay until the container is removed).")
  boolean force;

  @Parameters(arity = "1..*", paramLabel = "IMAGE")
  List<String> images;

  @Override
  public Integer call() {
    OciImageStore store = new OciImageStore(root.root);
    PrintWriter out = spec.commandLine().getOut();
    int failed = 0;
    for (String ref : images) {
      try {
        store.remove(ref, force, ImagesInUse.of(root.root)).forEach(out::println);
      } catch (RuntimeException e) {
        if (images.size() == 1) throw e;
        spec.commandLine().getErr().println("lab: " + e.getMessage());
        failed++;
      }
    }
    out.flush();
    spec.commandLine().getErr().flush();
    return failed == 0 ? 0 : 1;
  }
}
