package kubelab.container;

/**
 * A container's state as {@code docker inspect} shows it ({@code State.*}), derived from its
 * record, its exit file and the live process, so it is truthful even after the CLI or the
 * supervisor was killed.
 *
 * @param status     created, running, paused, exited (Docker's names)
 * @param pid        host pid of the container's first process while it runs, else 0
 * @param exitCode   exit status (128 + signal when killed); 0 while running
 * @param oomKilled  the cgroup's OOM killer struck
 * @param error      why it failed, when it did
 * @param startedAt  ISO-8601 or ""
 * @param finishedAt ISO-8601 or ""
 */
public record ContainerState(String status, long pid, int exitCode, boolean oomKilled, String error,
                             String startedAt, String finishedAt) {
  public boolean running() {
    return status.equals("running") || status.equals("paused");
  }

  public boolean exited() {
    return status.equals("exited");
  }
}
