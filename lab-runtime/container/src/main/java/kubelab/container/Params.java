package kubelab.container;

import java.time.Duration;

/** Tunables of the container runtime, one per line (as xv6's param.h). */
public final class Params {
  private Params() {}

  /** Default state directory (images, containers); {@code --root} or KUBELAB_ROOT change it. */
  public static final String DEFAULT_ROOT = "/var/lib/kubelab";
  /** Parent of every container's cgroup, in each hierarchy: /sys/fs/cgroup/memory/kubelab/ID. */
  public static final String DEFAULT_CGROUP_PARENT = "kubelab";
  /** Grace period between SIGTERM and SIGKILL on stop (Docker's default). */
  public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(10);
  /** The bridge that bridge-mode containers are plugged into (Docker's is docker0). */
  public static final String BRIDGE_NAME = "lab0";
  /** Subnet of the bridge; the bridge takes the first address. KUBELAB_BRIDGE_CIDR overrides. */
  public static final String DEFAULT_BRIDGE_CIDR = "10.77.0.0/16";
  /** Host-wide network state (IP leases): on tmpfs, like the bridge it describes. */
  public static final String NET_STATE_DIR = "/run/kubelab/net";
  /** Host-side veth names: this prefix and 8 hex digits of the container id (15 chars max). */
  public static final String VETH_PREFIX = "vethlab";
  /** --userns: container uid/gid 0 is this host id (the first range Debian's adduser gives in /etc/subuid, as dockremap gets). */
  public static final long USERNS_HOST_ID = 100_000;
  /** --userns: how many ids the container gets: 0..65535 inside, the 16-bit range images use. */
  public static final long USERNS_SIZE = 65_536;
  /** CPU CFS period used for --cpus (Docker's). */
  public static final long CPU_PERIOD_US = 100_000;
  /** Length of the hostname and short id Docker derives from the container id. */
  public static final int SHORT_ID = 12;
  /** How often a waiter that did not start the container polls for its exit. */
  public static final Duration EXIT_POLL = Duration.ofMillis(10);
  /** How long rm waits for a killed container's supervisor to record the exit. */
  public static final Duration KILL_WAIT = Duration.ofSeconds(10);
  /** Log lines a follower re-reads the log file after, when nothing new came. */
  public static final Duration LOG_FOLLOW_POLL = Duration.ofMillis(100);
}
