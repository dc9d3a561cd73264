package kubelab.container.cgroups;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import kubelab.container.Resources;
import kubelab.container.Trace;

/**
 * One container's cgroup. On cgroup v2 that is one directory; on v1 it is one directory per
 * hierarchy (memory, cpu, cpuset, pids, freezer, ...) with the same relative path in each.
 * Every method is plain file I/O under /sys/fs/cgroup.
 */
public interface Cgroup {
  /** "v1" or "v2". */
  String version();

  /** The path relative to each hierarchy's root, e.g. {@code /kubelab/3f2a...}. */
  String relativePath();

  /** Every directory of this cgroup. */
  List<Path> dirs();

  /** The directory to show as {@code CgroupPath}: the v2 directory, or v1's memory directory. */
  Path primaryDir();

  /** The controller of each directory ("memory" → /sys/fs/cgroup/memory/kubelab/ID); one entry on v2. */
  Map<String, Path> dirsByController();

  /** mkdir in every hierarchy (step "mkdir cgroup"). */
  void create(Trace trace);

  /** Moves {@code pid} into the cgroup: writes cgroup.procs (must precede the process's first instruction). */
  void attach(long pid, Trace trace);

  /** The cgroup.procs files (exec joins them). */
  List<Path> procsFiles();

  /** Writes the limits; throws ContainerException with a clear message when the kernel refuses one. */
  void apply(Resources r, Trace trace);

  /** Freezer: stop (true) or resume (false) every task, without a signal they can see. */
  void freeze(boolean frozen);

  boolean frozen();

  /** The file and the key the supervisor reads to tell whether the OOM killer struck. */
  Path oomFile();

  String oomKey();

  /** True when the cgroup's OOM killer killed a process (counter above zero). */
  boolean oomKilled();

  /** Live values for inspect: limits, usage, throttling, pids, freezer state. */
  Map<String, String> liveValues();

  /** True when any of the directories exists. */
  boolean exists();

  /** Removes every directory (retrying briefly while the last tasks are being reaped). */
  void destroy();
}
