package kubelab.api.core;

import java.util.List;
import java.util.Map;
import kubelab.api.meta.Extensible;
import kubelab.api.resource.Quantity;

/** A liveness, readiness or startup probe (exec, httpGet, tcpSocket or grpc), with its timing. */
public class Probe extends Extensible {
  public Map<String, Object> exec;
  public Map<String, Object> httpGet;
  public Map<String, Object> tcpSocket;
  public Map<String, Object> grpc;
  public Integer initialDelaySeconds;
  public Integer timeoutSeconds;
  public Integer periodSeconds;
  public Integer successThreshold;
  public Integer failureThreshold;
  public Long terminationGracePeriodSeconds;
}
