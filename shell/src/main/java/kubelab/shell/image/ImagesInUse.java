package kubelab.shell.image;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;

/**
 * Ids of the images that containers under a runtime root are made from: {@code lab image rm}
 * refuses to delete those without -f. The container side keeps the records; until it is wired in,
 * no container is known.
 */
final class ImagesInUse {
  private ImagesInUse() {}

  static Collection<String> of(Path root) {
    return Set.of();
  }
}
