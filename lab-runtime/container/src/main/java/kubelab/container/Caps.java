package kubelab.container;

import java.util.List;
import java.util.Locale;

/**
 * Linux capabilities by name, and Docker's default set: the 14 capabilities a container's root
 * keeps (moby oci/caps/defaults.go, Docker 27). Everything else (CAP_SYS_ADMIN, CAP_SYS_TIME,
 * CAP_NET_ADMIN, ...) is dropped from the bounding set, so {@code date -s} fails with
 * "Operation not permitted" even for root.
 */
public final class Caps {
  private Caps() {}

  /** Index = capability number (linux/capability.h). */
  public static final List<String> NAMES = List.of(
      "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID",
      "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW",
      "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
      "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD",
      "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG",
      "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE");

  /** Docker's default set. */
  public static final List<String> DOCKER_DEFAULT = List.of(
      "CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID", "SETUID", "SETFCAP",
      "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE");

  public static int number(String name) {
    String n = name.toUpperCase(Locale.ROOT);
    if (n.startsWith("CAP_")) n = n.substring(4);
    int i = NAMES.indexOf(n);
    if (i < 0) throw new ContainerException("unknown capability \"" + name + "\": use a name like NET_ADMIN or SYS_TIME");
    return i;
  }

  /** Docker's default set, plus {@code add}, minus {@code drop} ("ALL" means every capability). */
  public static long mask(List<String> add, List<String> drop) {
    long m = 0;
    for (String n : DOCKER_DEFAULT) m |= 1L << number(n);
    for (String d : drop) {
      if (d.equalsIgnoreCase("ALL")) m = 0;
      else m &= ~(1L << number(d));
    }
    for (String a : add) {
      if (a.equalsIgnoreCase("ALL")) m = (1L << NAMES.size()) - 1;
      else m |= 1L << number(a);
    }
    return m;
  }
}
