package kubelab.api.core;

import java.util.List;
import java.util.Map;
import kubelab.api.meta.Extensible;
import kubelab.api.resource.Quantity;

/** One container of a pod (core/v1 Container, the fields KubeLab uses). */
public class Container extends Extensible {
  public String name;
  public String image;
  /** Replaces the image ENTRYPOINT. */
  public List<String> command;
  /** Replaces the image CMD. */
  public List<String> args;
  public String workingDir;
  public List<ContainerPort> ports;
  public List<EnvVar> env;
  public ResourceRequirements resources;
  public List<VolumeMount> volumeMounts;
  public Probe livenessProbe;
  public Probe readinessProbe;
  public Probe startupProbe;
  /** Always, IfNotPresent, Never; defaulted by the API server (Always for :latest or no tag). */
  public String imagePullPolicy;
  public Map<String, Object> securityContext;
  public Map<String, Object> lifecycle;
  public String terminationMessagePath;
  public String terminationMessagePolicy;
  public Boolean stdin;
  public Boolean tty;
}
