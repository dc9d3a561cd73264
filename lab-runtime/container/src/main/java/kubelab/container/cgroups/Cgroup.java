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

  /** One limit: write {@code value} to {@code file}; {@code flag} names the option it came from. */
  record Write(Path file, String value, String flag) {
    /** What to tell the user when the kernel refuses this write. */
    public String hint() {
      return CgroupFiles.hint(file);
    }
  }

  /** The writes that set the limits, in order (memory before memory+swap, period before quota). */
  List<Write> plan(Resources r);

  /** Writes the limits; throws ContainerException with a clear message when the kernel refuses one. */
  default void apply(Resources r, Trace trace) {
    for (Write w : plan(r)) CgroupFiles.write(w.file(), w.value(), trace, w.flag());
  }

  /** The cgroup.procs files as one path for the trace ({@code /sys/fs/cgroup/{memory,cpu,...}/kubelab/ID/cgroup.procs}). */
  String procsLabel();

  /** Freezer: stop (true) or resume (false) every task, without a signal they can see. */
  void freeze(boolean frozen);

  boolean frozen();

  /**
   * Kills every process in the cgroup with SIGKILL and returns once none is left (or after a
   * second). v2 writes "1" to cgroup.kill (Linux 5.14), which the kernel applies to the whole
   * subtree at once, forks in flight included; v1 has no such file: the tasks are frozen (so none
   * can fork meanwhile), sent SIGKILL one by one, then thawed so that they can die.
   */
  void killAll();

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
