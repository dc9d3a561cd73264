package kubelab.container;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kubelab.container.state.ContainerRecord;
import kubelab.container.state.StateStore;
import kubelab.testkit.Requires;

/**
 * A runtime on a fresh temporary root for one test class, and its teardown: every container is
 * removed (even when a test failed), then the root. Tests that need it call {@link #open()}
 * from {@code @BeforeAll} and {@link #close()} from {@code @AfterAll}, {@link #clear()} from
 * {@code @AfterEach}.
 */
public final class RuntimeFixture {
  public final Path root;
  public final LinuxRuntime rt;

  private final String cgroupParent;
  private final kubelab.container.cgroups.CgroupDriver driver;

  private RuntimeFixture(Path root, String cgroupParent, kubelab.container.cgroups.CgroupDriver driver) {
    this.root = root;
    this.cgroupParent = cgroupParent;
    this.driver = driver;
    this.rt = new LinuxRuntime(root, TestImages.forRoot(root), cgroupParent, driver);
  }

  /** Skips (or in CI fails) unless root and the host tools the runtime needs are there. */
  public static RuntimeFixture open() throws IOException {
    return open(Params.DEFAULT_CGROUP_PARENT);
  }

  /** A fixture whose containers' cgroups live under {@code cgroupParent} (removed again by close()). */
  public static RuntimeFixture open(String cgroupParent) throws IOException {
    return open(cgroupParent, null);
  }

  /** A fixture whose runtime makes cgroups with {@code driver} (null: the host's layout). */
  public static RuntimeFixture open(String cgroupParent, kubelab.container.cgroups.CgroupDriver driver) throws IOException {
    Requires.root();
    Requires.that(TestImages.hostBusybox() != null, "needs a static busybox at /bin/busybox (Debian: apt-get install busybox-static)");
    Requires.command("ip");
    return new RuntimeFixture(Files.createTempDirectory("kubelab-rt-test"), cgroupParent, driver);
  }

  /** Removes every container of this root. */
  public void clear() {
    for (ContainerRecord r : rt.list(true)) {
      try {
        rt.remove(r.id, true);
      } catch (RuntimeException e) {
        // keep going: the leak checks will tell
      }
    }
    rt.gc();
  }

  public void close() {
    clear();
    StateStore.deleteTree(root);
    (driver != null ? driver : kubelab.container.cgroups.CgroupDriver.detect()).removeParentIfEmpty(cgroupParent);
  }

  /** Runs a container to its end with --net none; returns exit code and output. */
  public Result run(ContainerSpec.Builder b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
    ContainerRecord r = rt.run(b.build(), Trace.NONE, new Attach(null, out, err));
    ExitStatus e = rt.waitFor(r.id, java.time.Duration.ofSeconds(60));
    ContainerRecord after = rt.store().read(r.id);
    rt.remove(r.id, true);
    return new Result(e == null ? -1 : e.exitCode(), e != null && e.oomKilled(), out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8), after);
  }

  public Result run(String... command) {
    return run(ContainerSpec.builder("busybox").network(NetworkMode.NONE).command(List.of(command)));
  }

  public record Result(int exitCode, boolean oomKilled, String out, String err, ContainerRecord record) {}
}
