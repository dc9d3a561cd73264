package kubelab.shell.image;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import kubelab.container.LinuxRuntime;
import kubelab.container.image.ContainerImages;
import kubelab.container.image.Image;
import kubelab.container.image.OciImageStore;
import kubelab.shell.RootOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lab commit CONTAINER [NAME[:TAG]]}: {@code docker commit}. The container's writable
 * layer (its overlayfs upper directory) becomes one new layer on top of its image; the init layer
 * with /etc/hosts, /etc/resolv.conf and /etc/hostname is not captured. Prints the new image id.
 */
@Command(name = "commit", mixinStandardHelpOptions = true,
    description = {
      "Create an image from a container's changes: its writable layer becomes a new layer on top of its image.",
      "The per-container /etc/hostname, /etc/hosts and /etc/resolv.conf (the init layer) are not captured."
    })
public final class CommitCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RootOption root;

  @Parameters(index = "0", paramLabel = "CONTAINER")
  String container;

  @Parameters(index = "1", arity = "0..1", paramLabel = "NAME[:TAG]", description = "Name for the new image (default: untagged).")
  String name;

  @Option(names = {"-m", "--message"}, description = "Commit message (the history entry's comment).")
  String message;

  @Option(names = {"-a", "--author"}, description = "Author (e.g. \"Jane <jane@example.com>\").")
  String author;

  @Option(names = {"-c", "--change"}, paramLabel = "INSTRUCTION",
      description = "Apply a Dockerfile instruction to the new image's config, e.g. -c 'CMD [\"sh\"]' (repeatable).")
  List<String> changes = new ArrayList<>();

  @Option(names = {"-p", "--pause"}, negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Pause the container while its layer is read (default: ${DEFAULT-VALUE}).")
  boolean pause = true;

  @Override
  public Integer call() {
    OciImageStore store = new OciImageStore(root.root);
    LinuxRuntime runtime = new LinuxRuntime(root.root, store);
    Image img = ContainerImages.commit(runtime, store, container, name, message, author, changes, pause);
    spec.commandLine().getOut().println(img.id());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
