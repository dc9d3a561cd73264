package kubelab.container;

/**
 * How a container or an exec ended.
 *
 * @param exitCode  the exit status, or 128 + the signal that killed it
 * @param oomKilled the cgroup's OOM killer killed a process of the container
 */
public record ExitStatus(int exitCode, boolean oomKilled) {}
