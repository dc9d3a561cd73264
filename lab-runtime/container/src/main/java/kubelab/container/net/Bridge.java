package kubelab.container.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import kubelab.container.ContainerException;
import kubelab.container.Params;
import kubelab.container.Trace;

/**
 * Bridge networking, as Docker's default network does it, minus NAT:
 *
 * <ol>
 *   <li>a Linux bridge {@code lab0} with the subnet's first address (made on first use);</li>
 *   <li>per container, a veth pair: the host end {@code vethlabXXXXXXXX} plugged into lab0, the
 *       other end created directly inside the container's network namespace as {@code eth0}. The
 *       container's supervisor does that with one rtnetlink message (src/main/c/netlink.c: what
 *       {@code ip link add ... peer name eth0 netns PID} sends), right after the clone;</li>
 *   <li>inside, the C stage sets eth0's address and brings lo and eth0 up. No default route and
 *       no NAT: containers reach each other and the host, never beyond the machine.</li>
 * </ol>
 *
 * Cleanup needs no work per container: when a container's network namespace dies (its last
 * process exits), the kernel destroys eth0, and a veth pair dies with either end. The bridge
 * is removed by GC when no lease is left.
 *
 * <p>IP leases are files {@code /run/kubelab/net/ips/<ip>} created exclusively (so concurrent
 * CLIs never hand out one address twice) holding "{@code <state root> <container id>}". They
 * live on tmpfs because the bridge does not survive a reboot either.
 */
public final class Bridge {
  private final String cidr;
  private final long network;
  private final int prefix;
  private final Path leases;

  public Bridge(String cidr) {
    this.cidr = cidr;
    String[] p = cidr.split("/");
    if (p.length != 2) throw new ContainerException("invalid bridge CIDR \"" + cidr + "\": use a.b.c.d/nn, e.g. " + Params.DEFAULT_BRIDGE_CIDR);
    this.prefix = Integer.parseInt(p[1]);
    if (prefix < 8 || prefix > 30) throw new ContainerException("invalid bridge CIDR \"" + cidr + "\": the prefix must be 8..30");
    this.network = toLong(p[0]) & mask(prefix);
    this.leases = Path.of(Params.NET_STATE_DIR, "ips");
  }

  /** The bridge from KUBELAB_BRIDGE_CIDR, or the default subnet. */
  public static Bridge fromEnvironment() {
    String c = System.getenv("KUBELAB_BRIDGE_CIDR");
    return new Bridge(c == null || c.isBlank() ? Params.DEFAULT_BRIDGE_CIDR : c.trim());
  }

  private static long mask(int prefix) {
    return prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
  }

  private static long toLong(String ip) {
    String[] o = ip.split("\\.");
    if (o.length != 4) throw new ContainerException("invalid IPv4 address \"" + ip + "\"");
    long v = 0;
    for (String s : o) v = (v << 8) | (Integer.parseInt(s) & 0xff);
    return v;
  }

  private static String toIp(long v) {
    return ((v >> 24) & 0xff) + "." + ((v >> 16) & 0xff) + "." + ((v >> 8) & 0xff) + "." + (v & 0xff);
  }

  public String gateway() {
    return toIp(network + 1);
  }

  public int prefix() {
    return prefix;
  }

  /** Leases an address for {@code owner} ("root id"); throws when the subnet is full. */
  public String allocate(String owner) {
    try {
      Files.createDirectories(leases);
    } catch (IOException e) {
      throw new ContainerException("cannot create " + leases + ": " + e.getMessage());
    }
    long size = 1L << (32 - prefix);
    for (long i = 2; i < size - 1; i++) {
      String ip = toIp(network + i);
      try {
        Files.write(leases.resolve(ip), owner.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return ip;
      } catch (FileAlreadyExistsException e) {
        // taken
      } catch (IOException e) {
        throw new ContainerException("cannot lease an IP address: " + e.getMessage());
      }
    }
    throw new ContainerException("no free IP address left in " + cidr + ": remove stopped containers (lab rm) or set KUBELAB_BRIDGE_CIDR to a larger subnet");
  }

  public void release(String ip) {
    if (ip == null || ip.isEmpty()) return;
    try {
      Files.deleteIfExists(leases.resolve(ip));
    } catch (IOException e) {
      // GC retries
    }
  }

  /** Removes leases whose owner no longer exists; returns how many leases remain. */
  public int collectLeases(Predicate<String> ownerAlive) {
    int left = 0;
    if (!Files.isDirectory(leases)) return 0;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(leases)) {
      for (Path p : ds) {
        String owner;
        try {
          owner = Files.readString(p).trim();
        } catch (IOException e) {
          continue;
        }
        if (ownerAlive.test(owner)) left++;
        else Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      return 1;
    }
    return left;
  }

  /** Creates lab0 with the gateway address if it does not exist. */
  public void ensureBridge(Trace trace) {
    if (Files.exists(Path.of("/sys/class/net", Params.BRIDGE_NAME))) return;
    String name = Params.BRIDGE_NAME;
    run(trace, List.of("ip", "link", "add", name, "type", "bridge"), true);
    run(trace, List.of("ip", "addr", "add", gateway() + "/" + prefix, "dev", name), true);
    run(trace, List.of("ip", "link", "set", name, "up"), false);
  }

  /** Removes lab0 (GC, when no container uses it any more). */
  public void removeBridge() {
    if (!Files.exists(Path.of("/sys/class/net", Params.BRIDGE_NAME))) return;
    try {
      run(Trace.NONE, List.of("ip", "link", "del", Params.BRIDGE_NAME), true);
    } catch (ContainerException e) {
      // in use by someone else: leave it
    }
  }

  public static String vethName(String containerId) {
    return Params.VETH_PREFIX + containerId.substring(0, 8);
  }

  /**
   * Deletes the host end of a container's veth pair if it is still there. The kernel deletes the
   * pair when the container's network namespace dies, but in a worker thread, a moment later: a
   * failed start calls this so that nothing is left once it returns.
   */
  public void unplug(String containerId) {
    String veth = vethName(containerId);
    if (!Files.exists(Path.of("/sys/class/net", veth))) return;
    try {
      run(Trace.NONE, List.of("ip", "link", "del", veth), false);
    } catch (ContainerException e) {
      // gone meanwhile
    }
  }

  private static void run(Trace trace, List<String> cmd, boolean tolerateExists) {
    trace.step(String.join(" ", cmd) + "   (netlink, via iproute2)");
    try {
      Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      int rc = p.waitFor();
      if (rc != 0 && !(tolerateExists && out.contains("File exists"))) {
        throw new ContainerException("network setup failed: " + String.join(" ", cmd) + ": " + out
            + " (run as root; or use --net none)");
      }
    } catch (IOException e) {
      throw new ContainerException("network setup needs the `ip` command (Debian: apt-get install iproute2), or use --net none");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ContainerException("interrupted while setting up the network");
    }
  }
}
