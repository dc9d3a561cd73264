package kubelab.shell.image;

import java.nio.file.Path;
import kubelab.container.LinuxRuntime;
import kubelab.container.image.OciImageStore;
import kubelab.container.image.build.ContainerRunExecutor;
import kubelab.container.image.build.RunExecutor;

/** The RUN executor of {@code lab image build}: KubeLab containers on the same root (they need root). */
final class BuildRunner {
  private BuildRunner() {}

  static RunExecutor forRoot(Path root) {
    return new ContainerRunExecutor(new LinuxRuntime(root, new OciImageStore(root)));
  }
}
