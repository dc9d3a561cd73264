package kubelab.api.defaults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Defaults of a pod spec (k8s.io/kubernetes pkg/apis/core/v1 defaults.go, Kubernetes 1.32),
 * applied to pods and to the pod templates of Deployments, ReplicaSets, DaemonSets, StatefulSets,
 * Jobs and CronJobs:
 * <ul>
 *   <li>restartPolicy Always, dnsPolicy ClusterFirst, terminationGracePeriodSeconds 30,
 *       schedulerName default-scheduler, enableServiceLinks true, securityContext {};
 *   <li>each container: imagePullPolicy Always when the tag is {@code latest} or missing, else
 *       IfNotPresent (a digest is IfNotPresent); terminationMessagePath /dev/termination-log,
 *       terminationMessagePolicy File; ports' protocol TCP; requests default to limits; probe
 *       timeouts 1s, periods 10s, thresholds 1 and 3; HTTP probes path / and scheme HTTP;
 *   <li>volumes: a volume with no source is an emptyDir; secret, configMap, downwardAPI and
 *       projected volumes get defaultMode 0644 (420).
 * </ul>
 * Idempotent; changes the tree in place.
 */
public final class PodDefaults {
  private PodDefaults() {}

  private static final String[] SOURCES = {"hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore",
      "gitRepo", "secret", "nfs", "iscsi", "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder",
      "cephfs", "flocker", "downwardAPI", "fc", "azureFile", "configMap", "vsphereVolume", "quobyte", "azureDisk",
      "photonPersistentDisk", "projected", "portworxVolume", "scaleIO", "storageos", "csi", "ephemeral", "image"};

  public static void spec(ObjectNode spec) {
    putIfAbsent(spec, "restartPolicy", "Always");
    putIfAbsent(spec, "dnsPolicy", "ClusterFirst");
    if (!spec.hasNonNull("terminationGracePeriodSeconds")) spec.put("terminationGracePeriodSeconds", 30);
    putIfAbsent(spec, "schedulerName", "default-scheduler");
    if (!spec.hasNonNull("enableServiceLinks")) spec.put("enableServiceLinks", true);
    if (!spec.hasNonNull("securityContext")) spec.putObject("securityContext");
    boolean hostNetwork = spec.path("hostNetwork").asBoolean(false);
    for (String list : new String[] {"initContainers", "containers", "ephemeralContainers"}) {
      for (JsonNode c : spec.path(list)) {
        if (c instanceof ObjectNode o) container(o, hostNetwork);
      }
    }
    for (JsonNode v : spec.path("volumes")) {
      if (v instanceof ObjectNode o) volume(o);
    }
  }

  static void container(ObjectNode c, boolean hostNetwork) {
    if (!c.hasNonNull("imagePullPolicy")) c.put("imagePullPolicy", pullPolicy(c.path("image").asText("")));
    putIfAbsent(c, "terminationMessagePath", "/dev/termination-log");
    putIfAbsent(c, "terminationMessagePolicy", "File");
    if (!c.hasNonNull("resources")) c.putObject("resources");
    ObjectNode res = (ObjectNode) c.get("resources");
    JsonNode limits = res.path("limits");
    if (limits.isObject() && limits.size() > 0) {
      ObjectNode req = res.has("requests") && res.get("requests").isObject() ? (ObjectNode) res.get("requests") : res.putObject("requests");
      for (Iterator<Map.Entry<String, JsonNode>> it = limits.fields(); it.hasNext(); ) {
        var e = it.next();
        if (!req.has(e.getKey())) req.set(e.getKey(), e.getValue().deepCopy());
      }
    }
    for (JsonNode p : c.path("ports")) {
      if (p instanceof ObjectNode o) {
        putIfAbsent(o, "protocol", "TCP");
        if (hostNetwork && !o.hasNonNull("hostPort") && o.hasNonNull("containerPort")) o.set("hostPort", o.get("containerPort"));
      }
    }
    for (JsonNode e : c.path("env")) {
      JsonNode fr = e.path("valueFrom").path("fieldRef");
      if (fr instanceof ObjectNode o) putIfAbsent(o, "apiVersion", "v1");
    }
    for (String probe : new String[] {"livenessProbe", "readinessProbe", "startupProbe"}) {
      if (c.get(probe) instanceof ObjectNode p) probe(p);
    }
    JsonNode lc = c.path("lifecycle");
    for (String h : new String[] {"postStart", "preStop"}) {
      JsonNode get = lc.path(h).path("httpGet");
      if (get instanceof ObjectNode g) httpGet(g);
    }
  }

  /** Always for :latest or no tag; IfNotPresent otherwise (kubelet pulls by digest only once). */
  public static String pullPolicy(String image) {
    if (image.contains("@")) return "IfNotPresent";
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    String tag = colon > slash ? image.substring(colon + 1) : "";
    return tag.isEmpty() || tag.equals("latest") ? "Always" : "IfNotPresent";
  }

  static void probe(ObjectNode p) {
    if (!p.hasNonNull("timeoutSeconds")) p.put("timeoutSeconds", 1);
    if (!p.hasNonNull("periodSeconds")) p.put("periodSeconds", 10);
    if (!p.hasNonNull("successThreshold")) p.put("successThreshold", 1);
    if (!p.hasNonNull("failureThreshold")) p.put("failureThreshold", 3);
    if (p.get("httpGet") instanceof ObjectNode g) httpGet(g);
    if (p.get("grpc") instanceof ObjectNode g) putIfAbsent(g, "service", "");
  }

  static void httpGet(ObjectNode g) {
    putIfAbsent(g, "path", "/");
    putIfAbsent(g, "scheme", "HTTP");
  }

  static void volume(ObjectNode v) {
    boolean hasSource = false;
    for (String s : SOURCES) hasSource |= v.has(s);
    if (!hasSource) v.putObject("emptyDir");
    for (String s : new String[] {"secret", "configMap", "downwardAPI", "projected"}) {
      if (v.get(s) instanceof ObjectNode o && !o.hasNonNull("defaultMode")) o.put("defaultMode", 420);
    }
    if (v.get("hostPath") instanceof ObjectNode h) putIfAbsent(h, "type", "");
    JsonNode proj = v.path("projected").path("sources");
    for (JsonNode src : proj) {
      if (src.path("serviceAccountToken") instanceof ObjectNode t && !t.hasNonNull("expirationSeconds")) {
        t.put("expirationSeconds", 3600);
      }
    }
  }

  /** A pod template ({metadata, spec}): defaults its spec. */
  public static void template(JsonNode template) {
    if (template instanceof ObjectNode t) {
      if (t.get("spec") instanceof ObjectNode s) spec(s);
    }
  }

  /** Sets a string field that is absent, null or empty (Go's zero value counts as unset). */
  static void putIfAbsent(ObjectNode o, String field, String value) {
    JsonNode cur = o.get(field);
    if (cur == null || cur.isNull() || (cur.isTextual() && cur.asText().isEmpty())) o.put(field, value);
  }
}
