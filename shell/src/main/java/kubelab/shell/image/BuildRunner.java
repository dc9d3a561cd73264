package kubelab.shell.image;

import java.nio.file.Path;
import kubelab.container.BuildRunExecutor;
import kubelab.container.LinuxRuntime;
import kubelab.container.image.OciImageStore;
import kubelab.container.image.build.RunExecutor;

/**
 * The RUN executor of {@code lab image build}: the runtime's, KubeLab containers on the same root
 * with no network (they need root, as every container does).
 */
final class BuildRunner {
  private BuildRunner() {}

  static RunExecutor forRoot(Path root) {
    return new BuildRunExecutor(new LinuxRuntime(root, new OciImageStore(root)));
  }
}
