package kubelab.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import kubelab.api.registry.ResourceType;
import kubelab.api.registry.Resources;
import kubelab.api.validation.CoreValidation;
import kubelab.api.validation.FieldError;
import kubelab.api.validation.FieldPath;
import kubelab.apiserver.ApiError;
import kubelab.apiserver.Params;

/**
 * Services: the API server allocates each one a cluster IP from the service CIDR
 * (10.96.0.0/12; 10.96.0.1 is the {@code kubernetes} Service) and, for NodePort and LoadBalancer,
 * node ports from 30000-32767, as kube-apiserver's allocators do. An update that leaves them
 * empty keeps the allocated values; one that changes the cluster IP is refused.
 *
 * <p>Allocation scans the Services in the store under a lock, so one API server never hands out
 * an address twice (Kubernetes keeps a bitmap in etcd; a scan is clearer at this size).
 */
final class ServiceStrategy implements Strategy {
  private final ObjectStore store;
  private final Object allocLock = new Object();

  ServiceStrategy(ObjectStore store) {
    this.store = store;
  }

  @Override
  public void prepareForCreate(ObjectNode svc) {
    svc.putObject("status").putObject("loadBalancer");
    ObjectNode spec = svc.with("spec");
    String type = spec.path("type").asText("ClusterIP");
    if (type.equals("ExternalName")) return;
    synchronized (allocLock) {
      Set<String> usedIps = new HashSet<>();
      Set<Long> usedPorts = new HashSet<>();
      ResourceType t = Resources.builtin().find("", "v1", "services").orElseThrow();
      for (Stored s : store.list(t, "", null, 0, null, 0, false).items()) {
        JsonNode sp = s.object().path("spec");
        usedIps.add(sp.path("clusterIP").asText(""));
        for (JsonNode p : sp.path("ports")) usedPorts.add(p.path("nodePort").asLong(0));
      }
      String ip = spec.path("clusterIP").asText("");
      if (ip.isEmpty()) {
        ip = nextIp(usedIps);
        spec.put("clusterIP", ip);
      } else if (!ip.equals("None") && usedIps.contains(ip)) {
        throw ApiError.invalid(t, svc.path("metadata").path("name").asText(), List.of(FieldError.invalid(
            FieldPath.of("spec", "clusterIPs").index(0), List.of(ip), "failed to allocate IP " + ip
                + ": provided IP is already allocated")));
      }
      spec.putArray("clusterIPs").add(ip);
      if (!ip.equals("None")) {
        if (!spec.has("ipFamilies")) spec.putArray("ipFamilies").add("IPv4");
        if (!spec.hasNonNull("ipFamilyPolicy")) spec.put("ipFamilyPolicy", "SingleStack");
      } else {
        if (!spec.has("ipFamilies")) spec.putArray("ipFamilies").add("IPv4");
        if (!spec.hasNonNull("ipFamilyPolicy")) spec.put("ipFamilyPolicy", "SingleStack");
      }
      if (type.equals("NodePort") || type.equals("LoadBalancer")) {
        for (JsonNode p : spec.path("ports")) {
          if (p instanceof ObjectNode o && o.path("nodePort").asLong(0) == 0) {
            long np = nextPort(usedPorts);
            usedPorts.add(np);
            o.put("nodePort", np);
          }
        }
      }
    }
  }

  @Override
  public void prepareForUpdate(ObjectNode svc, ObjectNode old) {
    ObjectNode spec = svc.with("spec");
    JsonNode os = old.path("spec");
    if (spec.path("clusterIP").asText("").isEmpty() && os.has("clusterIP")) spec.set("clusterIP", os.get("clusterIP"));
    if (!spec.has("clusterIPs") && os.has("clusterIPs")) spec.set("clusterIPs", os.get("clusterIPs"));
    for (String f : new String[] {"ipFamilies", "ipFamilyPolicy"}) {
      if (!spec.has(f) && os.has(f)) spec.set(f, os.get(f));
    }
    JsonNode ports = spec.path("ports");
    for (JsonNode p : ports) {
      if (p instanceof ObjectNode o && o.path("nodePort").asLong(0) == 0) {
        for (JsonNode q : os.path("ports")) {
          if (q.path("port").equals(o.path("port")) && q.has("nodePort")) o.set("nodePort", q.get("nodePort"));
        }
      }
    }
  }

  @Override
  public List<FieldError> validate(ObjectNode svc) {
    return CoreValidation.service(svc);
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode svc, ObjectNode old) {
    return CoreValidation.serviceUpdate(svc, old);
  }

  /** The lowest free address of the service CIDR from 10.96.0.100 on (deterministic, unlike Kubernetes, to keep lessons repeatable). */
  static String nextIp(Set<String> used) {
    String[] base = Params.SERVICE_CIDR.split("/")[0].split("\\.");
    long start = (Long.parseLong(base[0]) << 24) | (Long.parseLong(base[1]) << 16) | (Long.parseLong(base[2]) << 8);
    int bits = 32 - Integer.parseInt(Params.SERVICE_CIDR.split("/")[1]);
    for (long i = 100; i < (1L << bits) - 1; i++) { // .1 is the kubernetes Service, .10 is kept for DNS
      long a = start + i;
      String ip = ((a >> 24) & 255) + "." + ((a >> 16) & 255) + "." + ((a >> 8) & 255) + "." + (a & 255);
      if (!used.contains(ip)) return ip;
    }
    throw ApiError.internal("the service IP range " + Params.SERVICE_CIDR + " is full");
  }

  static long nextPort(Set<Long> used) {
    for (long p = Params.NODE_PORT_MIN; p <= Params.NODE_PORT_MAX; p++) if (!used.contains(p)) return p;
    throw ApiError.internal("the node port range is full");
  }
}
