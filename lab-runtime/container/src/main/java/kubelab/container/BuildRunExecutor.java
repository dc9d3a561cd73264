package kubelab.container;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import kubelab.container.image.Image;
import kubelab.container.image.ImageConfig;
import kubelab.container.image.ImageException;
import kubelab.container.image.build.RunExecutor;
import kubelab.container.state.ContainerRecord;

/**
 * How {@code lab image build} runs a RUN instruction: in a real container of the image built so
 * far, with no network, the step's environment, user and working directory, as Docker's builder
 * does. The builder commits the container's upper directory as the step's layer, minus what the
 * runtime itself put there (mount points for /proc, /dev and /sys, and the init layer's files,
 * which Docker never commits either).
 */
public final class BuildRunExecutor implements RunExecutor {
  private final LinuxRuntime rt;

  public BuildRunExecutor(LinuxRuntime rt) {
    this.rt = rt;
  }

  /** Names (relative to the upper directory) that belong to the runtime, not to the step. */
  private static final Set<String> RUNTIME_OWNED = Set.of("proc", "sys", "dev", "etc/hosts", "etc/hostname", "etc/resolv.conf");

  @Override
  public Run run(Image image, ImageConfig config, List<String> argv, OutputStream output, Consumer<String> started)
      throws IOException {
    if (image == null)
      throw new ImageException("RUN needs something to run: an image FROM scratch has no files yet (COPY a program first, or start FROM busybox)");
    ContainerSpec.Builder b = ContainerSpec.builder(image.id()).network(NetworkMode.NONE).entrypoint(argv).command(List.of())
        .noHealthcheck(true); // a build step is not health-checked (docker build does not either)
    if (config != null) {
      if (config.env() != null) b.env(config.env());
      if (config.user() != null && !config.user().isEmpty()) b.user(config.user());
      if (config.workingDir() != null && !config.workingDir().isEmpty()) b.workingDir(config.workingDir());
    }
    ContainerRecord c = rt.create(b.build());
    try {
      started.accept(c.id.substring(0, Params.SHORT_ID));
      rt.start(c.id, Trace.NONE, new Attach(null, output, output));
      ExitStatus e = rt.waitFor(c.id, (Duration) null);
      int code = e == null ? ContainerException.RUNTIME_FAILED : e.exitCode();
      return new Result(c, code);
    } catch (ContainerException e) {
      rt.remove(c.id, true);
      output.write(("lab: " + e.getMessage() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      output.flush();
      return new Result(null, e.exitCode());
    } catch (RuntimeException e) {
      rt.remove(c.id, true);
      throw e;
    }
  }

  private final class Result implements Run {
    private final ContainerRecord c;
    private final int code;

    Result(ContainerRecord c, int code) {
      this.c = c;
      this.code = code;
    }

    @Override
    public String containerId() {
      return c == null ? "" : c.id.substring(0, Params.SHORT_ID);
    }

    @Override
    public int exitCode() {
      return code;
    }

    @Override
    public Path upperDir() {
      return c == null ? null : Path.of(c.upperDir);
    }

    @Override
    public Predicate<String> include() {
      return name -> {
        String n = name.startsWith("/") ? name.substring(1) : name;
        if (RUNTIME_OWNED.contains(n)) return false;
        for (String top : List.of("proc/", "sys/", "dev/")) if (n.startsWith(top)) return false;
        return true;
      };
    }

    @Override
    public void close() {
      if (c != null) rt.remove(c.id, true);
    }
  }
}
