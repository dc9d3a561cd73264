package kubelab.container;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to create: the runtime's equivalent of {@code docker create}'s options. Built with
 * {@link #builder(String)}; unset fields take the image's values (command, env, working dir,
 * user) or Docker's defaults.
 *
 * @param image       image reference; null for a sandbox (pause) container, which needs no image
 * @param entrypoint  replaces the image's ENTRYPOINT when non-null
 * @param command     replaces the image's CMD when non-null (and non-empty)
 * @param network     none, host, bridge or container:NAME
 * @param joinNet     id of a container whose network namespace to join (pods, container:NAME)
 * @param joinIpc     id of a container whose IPC namespace to join
 * @param joinUts     id of a container whose UTS namespace to join
 * @param joinPid     id of a container whose pid namespace to join (shareProcessNamespace)
 * @param capAdd      capability names (without CAP_) to add to Docker's default set
 * @param capDrop     capability names to drop from it ("ALL" drops every one)
 * @param logPath     where the log goes; null for the container's directory
 * @param userns      a new user namespace: root inside is {@link Params#USERNS_HOST_ID} outside
 * @param healthcheck replaces the image's HEALTHCHECK when non-null ({@code --health-*} flags)
 * @param noHealthcheck run no health check, whatever the image says ({@code --no-healthcheck};
 *                    the CRI path sets it: Kubernetes ignores HEALTHCHECK and uses probes)
 */
public record ContainerSpec(
    String name,
    String image,
    List<String> entrypoint,
    List<String> command,
    List<String> env,
    String workingDir,
    String user,
    String hostname,
    List<Volume> volumes,
    NetworkMode network,
    Resources resources,
    boolean readOnly,
    boolean autoRemove,
    boolean interactive,
    boolean pause,
    Map<String, String> labels,
    String joinNet,
    String joinIpc,
    String joinUts,
    String joinPid,
    String cgroupParent,
    List<String> capAdd,
    List<String> capDrop,
    String logPath,
    boolean userns,
    kubelab.container.image.ImageConfig.Healthcheck healthcheck,
    boolean noHealthcheck) {

  /** {@code -v HOST:CONTAINER[:ro]}. */
  public record Volume(String hostPath, String containerPath, boolean readOnly) {
    /** Parses Docker's short form; throws ContainerException when it is malformed. */
    public static Volume parse(String s) {
      String[] p = s.split(":");
      if (p.length < 2 || p.length > 3 || p[0].isEmpty() || p[1].isEmpty())
        throw new ContainerException("invalid volume \"" + s + "\": use -v HOST_PATH:CONTAINER_PATH[:ro]");
      if (!p[0].startsWith("/"))
        throw new ContainerException("invalid volume \"" + s + "\": the host path must be absolute (named volumes are not supported)");
      if (!p[1].startsWith("/")) throw new ContainerException("invalid volume \"" + s + "\": the container path must be absolute");
      boolean ro = false;
      if (p.length == 3) {
        if (p[2].equals("ro")) ro = true;
        else if (!p[2].equals("rw")) throw new ContainerException("invalid volume mode \"" + p[2] + "\" in \"" + s + "\": use ro or rw");
      }
      return new Volume(p[0], p[1], ro);
    }

    @Override
    public String toString() {
      return hostPath + ":" + containerPath + (readOnly ? ":ro" : "");
    }
  }

  public ContainerSpec {
    env = env == null ? List.of() : List.copyOf(env);
    volumes = volumes == null ? List.of() : List.copyOf(volumes);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    capAdd = capAdd == null ? List.of() : List.copyOf(capAdd);
    capDrop = capDrop == null ? List.of() : List.copyOf(capDrop);
    if (network == null) network = NetworkMode.BRIDGE;
    if (resources == null) resources = Resources.NONE;
  }

  public static Builder builder(String image) {
    return new Builder(image);
  }

  /** A mutable builder; every setter returns this. */
  public static final class Builder {
    private String name, image, workingDir, user, hostname, joinNet, joinIpc, joinUts, joinPid, cgroupParent, logPath;
    private List<String> entrypoint, command;
    private final List<String> env = new ArrayList<>();
    private final List<Volume> volumes = new ArrayList<>();
    private NetworkMode network = NetworkMode.BRIDGE;
    private Resources resources = Resources.NONE;
    private boolean readOnly, autoRemove, interactive, pause, userns, noHealthcheck;
    private kubelab.container.image.ImageConfig.Healthcheck healthcheck;
    private final Map<String, String> labels = new LinkedHashMap<>();
    private final List<String> capAdd = new ArrayList<>(), capDrop = new ArrayList<>();

    Builder(String image) {
      this.image = image;
    }

    public Builder name(String v) { name = v; return this; }
    public Builder entrypoint(List<String> v) { entrypoint = v; return this; }
    public Builder command(List<String> v) { command = v; return this; }
    public Builder command(String... v) { command = List.of(v); return this; }
    public Builder env(String keyValue) { env.add(keyValue); return this; }
    public Builder env(List<String> v) { env.addAll(v); return this; }
    public Builder workingDir(String v) { workingDir = v; return this; }
    public Builder user(String v) { user = v; return this; }
    public Builder hostname(String v) { hostname = v; return this; }
    public Builder volume(Volume v) { volumes.add(v); return this; }
    public Builder network(NetworkMode v) { network = v; return this; }
    public Builder resources(Resources v) { resources = v; return this; }
    public Builder readOnly(boolean v) { readOnly = v; return this; }
    public Builder autoRemove(boolean v) { autoRemove = v; return this; }
    public Builder interactive(boolean v) { interactive = v; return this; }
    public Builder pause(boolean v) { pause = v; return this; }
    public Builder label(String k, String v) { labels.put(k, v); return this; }
    public Builder labels(Map<String, String> v) { labels.putAll(v); return this; }
    public Builder joinNet(String v) { joinNet = v; return this; }
    public Builder joinIpc(String v) { joinIpc = v; return this; }
    public Builder joinUts(String v) { joinUts = v; return this; }
    public Builder joinPid(String v) { joinPid = v; return this; }
    public Builder cgroupParent(String v) { cgroupParent = v; return this; }
    public Builder capAdd(String v) { capAdd.add(v); return this; }
    public Builder capDrop(String v) { capDrop.add(v); return this; }
    public Builder logPath(String v) { logPath = v; return this; }
    public Builder userns(boolean v) { userns = v; return this; }
    public Builder healthcheck(kubelab.container.image.ImageConfig.Healthcheck v) { healthcheck = v; return this; }
    public Builder noHealthcheck(boolean v) { noHealthcheck = v; return this; }

    public ContainerSpec build() {
      return new ContainerSpec(name, image, entrypoint, command, env, workingDir, user, hostname, volumes, network,
          resources, readOnly, autoRemove, interactive, pause, labels, joinNet, joinIpc, joinUts, joinPid,
          cgroupParent, capAdd, capDrop, logPath, userns, healthcheck, noHealthcheck);
    }
  }
}
