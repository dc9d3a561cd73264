package kubelab.shell;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --root DIR}: where the runtime keeps images, containers and their state. Mixed into every
 * runtime and image command ({@code @Mixin RootOption root;}) so {@code lab run --root /tmp/x ...}
 * and {@code lab image ls --root /tmp/x} agree. The environment variable KUBELAB_ROOT sets the
 * default.
 */
public final class RootOption {
  @Option(
      names = "--root",
      paramLabel = "DIR",
      defaultValue = "${env:KUBELAB_ROOT:-/var/lib/kubelab}",
      description = "State directory for images and containers (default: ${DEFAULT-VALUE}).")
  public Path root;
}
