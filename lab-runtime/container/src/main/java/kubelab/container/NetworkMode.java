package kubelab.container;

/**
 * Docker's four classic network modes ({@code --net}):
 * <ul>
 *   <li>{@code bridge} (the default): a network namespace of its own, a veth pair whose host end
 *       is plugged into the {@code lab0} bridge, and an IP from the bridge's subnet. KubeLab adds
 *       no NAT and no default route: containers reach the host and each other, nothing beyond.</li>
 *   <li>{@code none}: a network namespace with only {@code lo}.</li>
 *   <li>{@code host}: the host's network namespace (no isolation; ports conflict with the host's).</li>
 *   <li>{@code container:NAME}: the network namespace of another, running container, as the
 *       containers of a pod share the sandbox's.</li>
 * </ul>
 */
public record NetworkMode(String kind, String container) {
  public static final NetworkMode BRIDGE = new NetworkMode("bridge", null);
  public static final NetworkMode NONE = new NetworkMode("none", null);
  public static final NetworkMode HOST = new NetworkMode("host", null);

  public static NetworkMode container(String ref) {
    return new NetworkMode("container", ref);
  }

  public static NetworkMode parse(String s) {
    if (s == null || s.equals("bridge") || s.equals("default")) return BRIDGE;
    if (s.equals("none")) return NONE;
    if (s.equals("host")) return HOST;
    if (s.startsWith("container:") && s.length() > 10) return container(s.substring(10));
    throw new ContainerException("invalid --net \"" + s + "\": use bridge, none, host or container:NAME");
  }

  public boolean ownNamespace() {
    return kind.equals("bridge") || kind.equals("none");
  }

  @Override
  public String toString() {
    return container == null ? kind : kind + ":" + container;
  }
}
