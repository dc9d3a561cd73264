package kubelab.shell.image;

import java.nio.file.Path;
import java.util.Collection;
import kubelab.container.image.ContainerImages;

/**
 * Ids of the images that containers under a runtime root are made from (running or not):
 * {@code lab image rm} and {@code prune} leave those alone without -f.
 */
final class ImagesInUse {
  private ImagesInUse() {}

  static Collection<String> of(Path root) {
    return ContainerImages.imagesInUse(root);
  }
}
