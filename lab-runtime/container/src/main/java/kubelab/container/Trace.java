package kubelab.container;

import java.io.PrintWriter;

/**
 * {@code --trace}: every step of a container operation, numbered, one line each, with the
 * system call and its arguments, in the order they happen. The namespaces and cgroups lessons are
 * built on this output, e.g.
 *
 * <pre>
 * ~> step 1  mkdir /sys/fs/cgroup/{memory,cpu,...}/kubelab/3f2a...
 * ~> step 2  clone(CLONE_NEWPID|CLONE_NEWNS|...) = 48213
 * ~> step 3  write /sys/fs/cgroup/{...}/cgroup.procs "48213"
 * </pre>
 *
 * Steps come from Java (cgroups, network, the supervisor) and from the C stage (clone, mounts,
 * pivot_root, execve), which sends them as frames; both go through one Trace, so they are
 * numbered in the order they happened. Not thread-safe: one operation at a time.
 */
public final class Trace {
  /** A trace that records nothing (the default; costs nothing). */
  public static final Trace NONE = new Trace(null);

  private final PrintWriter out;
  private int step;

  public Trace(PrintWriter out) {
    this.out = out;
  }

  public boolean enabled() {
    return out != null;
  }

  /** Records the next step. */
  public void step(String what) {
    if (out == null) return;
    step++;
    out.printf("~> step %-3d %s%n", step, what);
    out.flush();
  }

  /** A note that is not a step of its own (which component does what next). */
  public void note(String what) {
    if (out == null) return;
    out.println("~> " + what);
    out.flush();
  }

  public int steps() {
    return step;
  }
}
