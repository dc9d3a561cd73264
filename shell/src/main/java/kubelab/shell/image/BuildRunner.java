package kubelab.shell.image;

import java.nio.file.Path;
import kubelab.container.image.build.RunExecutor;

/**
 * The RUN executor the build command uses: the container runtime's. Until the runtime is wired in,
 * there is none, and RUN steps fail with a message that says so.
 */
final class BuildRunner {
  private BuildRunner() {}

  static RunExecutor forRoot(Path root) {
    return null;
  }
}
