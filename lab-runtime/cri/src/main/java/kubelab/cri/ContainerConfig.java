package kubelab.cri;

import java.util.List;
import java.util.Map;

/**
 * {@code ContainerConfig}: what the kubelet asks for when it creates a container. As in
 * Kubernetes, {@code command} replaces the image's ENTRYPOINT and {@code args} its CMD; an
 * empty list means "keep the image's".
 *
 * @param logPath path of the log file, relative to the sandbox's log directory
 */
public record ContainerConfig(
    Metadata metadata,
    String image,
    List<String> command,
    List<String> args,
    String workingDir,
    List<KeyValue> envs,
    List<Mount> mounts,
    Map<String, String> labels,
    Map<String, String> annotations,
    String logPath,
    boolean stdin,
    Linux linux) {

  public ContainerConfig {
    command = command == null ? List.of() : List.copyOf(command);
    args = args == null ? List.of() : List.copyOf(args);
    envs = envs == null ? List.of() : List.copyOf(envs);
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    if (linux == null) linux = new Linux(Resources.NONE, SecurityContext.DEFAULT);
  }

  /** A config with just a name, an image and a command (tests, simple callers). */
  public static ContainerConfig of(String name, String image, List<String> command) {
    return new ContainerConfig(new Metadata(name, 0), image, command, List.of(), null, List.of(), List.of(),
        Map.of(), Map.of(), name + "/0.log", false, null);
  }

  /** {@code ContainerMetadata}. */
  public record Metadata(String name, int attempt) {}

  /** {@code KeyValue}: one environment variable. */
  public record KeyValue(String key, String value) {}

  /** {@code Mount}: a host path bind-mounted into the container. */
  public record Mount(String containerPath, String hostPath, boolean readonly) {}

  /** {@code LinuxContainerConfig}. */
  public record Linux(Resources resources, SecurityContext securityContext) {
    public Linux {
      if (resources == null) resources = Resources.NONE;
      if (securityContext == null) securityContext = SecurityContext.DEFAULT;
    }
  }

  /**
   * {@code LinuxContainerResources}. Zero means "not set". {@code cpuShares} is the cgroup v1
   * weight (1024 = one CPU's worth), converted to {@code cpu.weight} on cgroup v2.
   */
  public record Resources(long cpuPeriod, long cpuQuota, long cpuShares, long memoryLimitInBytes,
                          long memorySwapLimitInBytes, String cpusetCpus, String cpusetMems, long pidsLimit) {
    public static final Resources NONE = new Resources(0, 0, 0, 0, 0, null, null, 0);
  }

  /** {@code LinuxContainerSecurityContext}, the parts KubeLab honours. */
  public record SecurityContext(Long runAsUser, Long runAsGroup, boolean readonlyRootfs,
                                List<String> addCapabilities, List<String> dropCapabilities) {
    public static final SecurityContext DEFAULT = new SecurityContext(null, null, false, List.of(), List.of());

    public SecurityContext {
      addCapabilities = addCapabilities == null ? List.of() : List.copyOf(addCapabilities);
      dropCapabilities = dropCapabilities == null ? List.of() : List.copyOf(dropCapabilities);
    }
  }
}
