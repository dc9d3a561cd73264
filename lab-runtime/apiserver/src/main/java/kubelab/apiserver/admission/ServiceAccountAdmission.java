package kubelab.apiserver.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.Optional;
import kubelab.api.registry.ResourceType;
import kubelab.api.registry.Resources;
import kubelab.apiserver.ApiError;
import kubelab.apiserver.registry.ObjectStore;
import kubelab.apiserver.registry.Stored;

/**
 * ServiceAccount admission (Kubernetes 1.32) for new pods: a pod without serviceAccountName runs
 * as "default"; the ServiceAccount must exist ({@code error looking up service account
 * dev/default: serviceaccount "default" not found}); and unless automounting is turned off (on
 * the pod or the ServiceAccount) every container gets the projected token volume
 * {@code kube-api-access-XXXXX} (a bound token, the cluster CA from the kube-root-ca.crt
 * ConfigMap, the namespace) mounted read-only at /var/run/secrets/kubernetes.io/serviceaccount.
 * The kubelet will mount it; until then it is visible in the pod spec, as on a real cluster.
 */
final class ServiceAccountAdmission implements AdmissionPlugin {
  static final String MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private final ObjectStore store;
  private final SecureRandom random = new SecureRandom();
  private final ResourceType serviceAccounts = Resources.builtin().find("", "v1", "serviceaccounts").orElseThrow();

  ServiceAccountAdmission(ObjectStore store) {
    this.store = store;
  }

  @Override
  public String name() {
    return "ServiceAccount";
  }

  @Override
  public void admit(AdmissionRequest r) {
    if (r.operation() != AdmissionRequest.Operation.CREATE || !r.is("", "pods") || !r.mainResource()) return;
    ObjectNode pod = r.object();
    ObjectNode spec = pod.with("spec");
    if (pod.path("metadata").path("annotations").has("kubernetes.io/config.mirror")) return; // mirror pods
    String sa = spec.path("serviceAccountName").asText("");
    if (sa.isEmpty()) sa = spec.path("serviceAccount").asText("");
    if (sa.isEmpty()) sa = "default";
    spec.put("serviceAccountName", sa);
    spec.put("serviceAccount", sa);
    Optional<Stored> account = lookup(r.namespace(), sa);
    if (account.isEmpty()) {
      throw ApiError.forbidden(r.type(), r.name(), "error looking up service account " + r.namespace() + "/" + sa
          + ": serviceaccount \"" + sa + "\" not found");
    }
    boolean mount = spec.has("automountServiceAccountToken")
        ? spec.path("automountServiceAccountToken").asBoolean(true)
        : account.get().object().path("automountServiceAccountToken").asBoolean(true);
    if (!mount) return;
    for (JsonNode c : spec.path("containers")) {
      for (JsonNode m : c.path("volumeMounts")) if (MOUNT_PATH.equals(m.path("mountPath").asText())) return;
    }
    String volume = "kube-api-access-" + suffix();
    ArrayNode volumes = spec.has("volumes") && spec.get("volumes").isArray() ? (ArrayNode) spec.get("volumes") : spec.putArray("volumes");
    ObjectNode v = volumes.addObject();
    v.put("name", volume);
    ObjectNode projected = v.putObject("projected");
    projected.put("defaultMode", 420);
    ArrayNode sources = projected.putArray("sources");
    ObjectNode token = sources.addObject().putObject("serviceAccountToken");
    token.put("expirationSeconds", 3607);
    token.put("path", "token");
    ObjectNode cm = sources.addObject().putObject("configMap");
    ObjectNode item = cm.putArray("items").addObject();
    item.put("key", "ca.crt");
    item.put("path", "ca.crt");
    cm.put("name", "kube-root-ca.crt");
    ObjectNode da = sources.addObject().putObject("downwardAPI");
    ObjectNode f = da.putArray("items").addObject();
    ObjectNode ref = f.putObject("fieldRef");
    ref.put("apiVersion", "v1");
    ref.put("fieldPath", "metadata.namespace");
    f.put("path", "namespace");
    for (String list : new String[] {"initContainers", "containers"}) {
      for (JsonNode c : spec.path(list)) {
        ObjectNode co = (ObjectNode) c;
        ArrayNode mounts = co.has("volumeMounts") && co.get("volumeMounts").isArray()
            ? (ArrayNode) co.get("volumeMounts") : co.putArray("volumeMounts");
        ObjectNode m = mounts.addObject();
        m.put("mountPath", MOUNT_PATH);
        m.put("name", volume);
        m.put("readOnly", true);
      }
    }
  }

  /**
   * The ServiceAccount, looked up again a few times when it is "default" (its controller creates it
   * right after the namespace), as the Kubernetes plugin does (10 tries, 100-200 ms apart).
   */
  private Optional<Stored> lookup(String ns, String name) {
    int attempts = name.equals("default") ? 10 : 1;
    for (int i = 0; i < attempts; i++) {
      Optional<Stored> s = store.cachedGet(serviceAccounts, ns, name);
      if (s.isPresent()) return s;
      if (i + 1 < attempts) {
        try {
          Thread.sleep(100 + random.nextInt(100));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    return Optional.empty();
  }

  private String suffix() {
    StringBuilder b = new StringBuilder();
    synchronized (random) {
      for (int i = 0; i < 5; i++) b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return b.toString();
  }
}
