package kubelab.container.image.build;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import kubelab.container.Attach;
import kubelab.container.ContainerException;
import kubelab.container.ContainerSpec;
import kubelab.container.ExitStatus;
import kubelab.container.LinuxRuntime;
import kubelab.container.NetworkMode;
import kubelab.container.Trace;
import kubelab.container.image.Image;
import kubelab.container.image.ImageConfig;
import kubelab.container.image.Params;
import kubelab.container.state.ContainerRecord;

/**
 * RUN steps in real KubeLab containers: the step's command as the container's whole command
 * (the image's ENTRYPOINT does not apply, as in Docker), the step's environment (ENV and ARG
 * values), user and working directory, and {@code --net none}: builds have no network. The
 * container is a normal one (visible in {@code lab ps -a} while it runs, labelled
 * {@code kubelab.build=true}) and is removed with everything it had once its layer is committed.
 */
public final class ContainerRunExecutor implements RunExecutor {
  private final LinuxRuntime runtime;

  public ContainerRunExecutor(LinuxRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public Run run(Image image, ImageConfig config, List<String> argv, OutputStream output, Consumer<String> started)
      throws IOException {
    if (image == null) {
      throw new IOException("RUN needs a base image that contains the command (FROM scratch has no /bin/sh): "
          + String.join(" ", argv));
    }
    ContainerSpec.Builder b = ContainerSpec.builder(image.id())
        .entrypoint(argv)
        .command(List.of())
        .env(config.env())
        .network(NetworkMode.NONE)
        .label(Params.BUILD_LABEL, "true");
    if (config.workingDir() != null) b.workingDir(config.workingDir());
    if (config.user() != null) b.user(config.user());
    ContainerRecord r;
    try {
      r = runtime.create(b.build());
    } catch (ContainerException e) {
      throw new IOException(e.getMessage(), e);
    }
    String id = r.id;
    try {
      started.accept(id.substring(0, 12));
      runtime.start(id, Trace.NONE, new Attach(null, output, output));
      ExitStatus exit = runtime.waitFor(id, null);
      output.flush();
      int code = exit == null ? ContainerException.RUNTIME_FAILED : exit.exitCode();
      Path upper = Path.of(r.upperDir);
      return new Run() {
        @Override
        public String containerId() {
          return id.substring(0, 12);
        }

        @Override
        public int exitCode() {
          return code;
        }

        @Override
        public Path upperDir() {
          return upper;
        }

        @Override
        public void close() {
          runtime.remove(id, true);
        }
      };
    } catch (ContainerException e) {
      runtime.remove(id, true);
      throw new IOException(e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      runtime.remove(id, true);
      throw e;
    }
  }
}
