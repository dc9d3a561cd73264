package kubelab.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import kubelab.api.resource.Quantity;

/**
 * Validation of pods and pod templates with Kubernetes 1.32's rules and messages
 * (pkg/apis/core/validation: ValidatePodSpec, ValidatePodUpdate): containers (names, images,
 * ports, env, resources, probes, volume mounts), volumes, restart and DNS policies, tolerations,
 * and the few fields a pod update may change.
 */
public final class PodValidation {
  private PodValidation() {}

  public static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
  static final List<String> DNS_POLICIES = List.of("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None");
  static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
  static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
  static final List<String> TOLERATION_OPERATORS = List.of("Equal", "Exists");
  static final List<String> TAINT_EFFECTS = List.of("NoExecute", "NoSchedule", "PreferNoSchedule");
  private static final Pattern ENV_NAME = Pattern.compile("^[-._a-zA-Z][-._a-zA-Z0-9]*$");
  private static final String[] VOLUME_SOURCES = {"hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore",
      "gitRepo", "secret", "nfs", "iscsi", "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder",
      "cephfs", "flocker", "downwardAPI", "fc", "azureFile", "configMap", "vsphereVolume", "quobyte", "azureDisk",
      "photonPersistentDisk", "projected", "portworxVolume", "scaleIO", "storageos", "csi", "ephemeral", "image"};

  /** Errors of a pod spec at {@code path} ("spec", or "spec.template.spec" in a template). */
  public static List<FieldError> spec(JsonNode spec, FieldPath path) {
    List<FieldError> errs = new ArrayList<>();
    Set<String> volumeNames = volumes(spec.path("volumes"), path.child("volumes"), errs);
    Set<String> containerNames = new HashSet<>();
    JsonNode containers = spec.path("containers");
    if (containers.size() == 0) errs.add(FieldError.required(path.child("containers"), ""));
    containers(spec.path("initContainers"), path.child("initContainers"), volumeNames, containerNames, errs, true);
    containers(containers, path.child("containers"), volumeNames, containerNames, errs, false);
    String rp = spec.path("restartPolicy").asText("");
    if (rp.isEmpty()) errs.add(FieldError.required(path.child("restartPolicy"), ""));
    else if (!RESTART_POLICIES.contains(rp)) errs.add(FieldError.notSupported(path.child("restartPolicy"), rp, RESTART_POLICIES));
    String dns = spec.path("dnsPolicy").asText("");
    if (!dns.isEmpty() && !DNS_POLICIES.contains(dns)) errs.add(FieldError.notSupported(path.child("dnsPolicy"), dns, DNS_POLICIES));
    if (dns.equals("None") && !spec.path("dnsConfig").isObject()) {
      errs.add(FieldError.required(path.child("dnsConfig"), "must provide `dnsConfig` when `dnsPolicy` is None"));
    }
    JsonNode ads = spec.path("activeDeadlineSeconds");
    if (ads.isNumber() && (ads.asLong() < 1 || ads.asLong() > Integer.MAX_VALUE)) {
      errs.add(FieldError.invalid(path.child("activeDeadlineSeconds"), ads.asLong(), "must be between 1 and 2147483647, inclusive"));
    }
    errs.addAll(MetaValidation.labels(spec.path("nodeSelector"), path.child("nodeSelector")));
    String sa = spec.path("serviceAccountName").asText("");
    if (!sa.isEmpty()) for (String m : Names.dns1123Subdomain(sa)) errs.add(FieldError.invalid(path.child("serviceAccountName"), sa, m));
    String nodeName = spec.path("nodeName").asText("");
    if (!nodeName.isEmpty()) for (String m : Names.dns1123Subdomain(nodeName)) errs.add(FieldError.invalid(path.child("nodeName"), nodeName, m));
    for (String f : new String[] {"hostname", "subdomain"}) {
      String v = spec.path(f).asText("");
      if (!v.isEmpty()) for (String m : Names.dns1123Label(v)) errs.add(FieldError.invalid(path.child(f), v, m));
    }
    String pc = spec.path("priorityClassName").asText("");
    if (!pc.isEmpty()) for (String m : Names.dns1123Subdomain(pc)) errs.add(FieldError.invalid(path.child("priorityClassName"), pc, m));
    tolerations(spec.path("tolerations"), path.child("tolerations"), errs);
    if (!nodeName.isEmpty() && spec.path("schedulingGates").size() > 0) {
      errs.add(FieldError.forbidden(path.child("nodeName"), "cannot be set until all schedulingGates have been cleared"));
    }
    return errs;
  }

  private static Set<String> volumes(JsonNode volumes, FieldPath path, List<FieldError> errs) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < volumes.size(); i++) {
      JsonNode v = volumes.get(i);
      FieldPath p = path.index(i);
      String name = v.path("name").asText("");
      if (name.isEmpty()) {
        errs.add(FieldError.required(p.child("name"), ""));
      } else {
        for (String m : Names.dns1123Label(name)) errs.add(FieldError.invalid(p.child("name"), name, m));
        if (!names.add(name)) errs.add(FieldError.duplicate(p.child("name"), name));
      }
      int sources = 0;
      for (String s : VOLUME_SOURCES) if (v.has(s) && !v.get(s).isNull()) sources++;
      if (sources == 0) errs.add(FieldError.required(p, "must specify a volume type"));
      if (sources > 1) errs.add(FieldError.forbidden(p, "may not specify more than 1 volume type"));
      if (v.path("hostPath").isObject() && v.path("hostPath").path("path").asText("").isEmpty()) {
        errs.add(FieldError.required(p.child("hostPath", "path"), ""));
      }
      if (v.path("secret").isObject() && v.path("secret").path("secretName").asText("").isEmpty()) {
        errs.add(FieldError.required(p.child("secret", "secretName"), ""));
      }
      if (v.path("configMap").isObject() && v.path("configMap").path("name").asText("").isEmpty()) {
        errs.add(FieldError.required(p.child("configMap", "name"), ""));
      }
      if (v.path("persistentVolumeClaim").isObject() && v.path("persistentVolumeClaim").path("claimName").asText("").isEmpty()) {
        errs.add(FieldError.required(p.child("persistentVolumeClaim", "claimName"), ""));
      }
    }
    return names;
  }

  private static void containers(JsonNode list, FieldPath path, Set<String> volumes, Set<String> names,
      List<FieldError> errs, boolean init) {
    for (int i = 0; i < list.size(); i++) {
      JsonNode c = list.get(i);
      FieldPath p = path.index(i);
      String name = c.path("name").asText("");
      if (name.isEmpty()) {
        errs.add(FieldError.required(p.child("name"), ""));
      } else {
        for (String m : Names.dns1123Label(name)) errs.add(FieldError.invalid(p.child("name"), name, m));
        if (!names.add(name)) errs.add(FieldError.duplicate(p.child("name"), name));
      }
      String image = c.path("image").asText("");
      if (image.isEmpty()) {
        errs.add(FieldError.required(p.child("image"), ""));
      } else if (!image.equals(image.strip())) {
        errs.add(FieldError.invalid(p.child("image"), image, "must not have leading or trailing whitespace"));
      }
      String pull = c.path("imagePullPolicy").asText("");
      if (!pull.isEmpty() && !PULL_POLICIES.contains(pull)) {
        errs.add(FieldError.notSupported(p.child("imagePullPolicy"), pull, PULL_POLICIES));
      }
      ports(c.path("ports"), p.child("ports"), errs);
      env(c.path("env"), p.child("env"), errs);
      resources(c.path("resources"), p.child("resources"), errs);
      mounts(c.path("volumeMounts"), p.child("volumeMounts"), volumes, errs);
      String tmp = c.path("terminationMessagePolicy").asText("");
      if (!tmp.isEmpty() && !List.of("File", "FallbackToLogsOnError").contains(tmp)) {
        errs.add(FieldError.notSupported(p.child("terminationMessagePolicy"), tmp, List.of("File", "FallbackToLogsOnError")));
      }
      for (String probe : new String[] {"livenessProbe", "readinessProbe", "startupProbe"}) {
        if (c.path(probe).isObject()) probe(c.path(probe), p.child(probe), !probe.equals("readinessProbe"), errs);
      }
      String crp = c.path("restartPolicy").asText("");
      if (!crp.isEmpty()) {
        if (!init) errs.add(FieldError.forbidden(p.child("restartPolicy"), "may not be set for non-init containers"));
        else if (!crp.equals("Always")) errs.add(FieldError.notSupported(p.child("restartPolicy"), crp, List.of("Always")));
      }
    }
  }

  private static void ports(JsonNode ports, FieldPath path, List<FieldError> errs) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      JsonNode port = ports.get(i);
      FieldPath p = path.index(i);
      long cp = port.path("containerPort").asLong(0);
      if (cp == 0) errs.add(FieldError.required(p.child("containerPort"), ""));
      else if (cp < 1 || cp > 65535) errs.add(FieldError.invalid(p.child("containerPort"), cp, "must be between 1 and 65535, inclusive"));
      long hp = port.path("hostPort").asLong(0);
      if (hp != 0 && (hp < 1 || hp > 65535)) errs.add(FieldError.invalid(p.child("hostPort"), hp, "must be between 1 and 65535, inclusive"));
      String proto = port.path("protocol").asText("");
      if (proto.isEmpty()) errs.add(FieldError.required(p.child("protocol"), ""));
      else if (!PROTOCOLS.contains(proto)) errs.add(FieldError.notSupported(p.child("protocol"), proto, PROTOCOLS));
      String name = port.path("name").asText("");
      if (!name.isEmpty()) for (String m : portName(name)) errs.add(FieldError.invalid(p.child("name"), name, m));
      if (cp != 0 && !seen.add(cp + "/" + proto)) {
        errs.add(FieldError.duplicate(p.child("containerPort"), cp + "/" + proto));
      }
    }
  }

  /** IANA_SVC_NAME (validation.IsValidPortName). */
  static List<String> portName(String s) {
    List<String> errs = new ArrayList<>();
    if (s.length() > 15) errs.add(Names.maxLen(15));
    if (!s.matches("^[-a-z0-9]+$")) errs.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    if (s.contains("--")) errs.add("must not contain consecutive hyphens");
    if (!s.matches(".*[a-z].*")) errs.add("must contain at least one letter (a-z)");
    if (s.startsWith("-") || s.endsWith("-")) errs.add("must not begin or end with a hyphen");
    return errs;
  }

  private static void env(JsonNode env, FieldPath path, List<FieldError> errs) {
    for (int i = 0; i < env.size(); i++) {
      JsonNode e = env.get(i);
      FieldPath p = path.index(i);
      String name = e.path("name").asText("");
      if (name.isEmpty()) {
        errs.add(FieldError.required(p.child("name"), ""));
      } else if (!ENV_NAME.matcher(name).matches()) {
        errs.add(FieldError.invalid(p.child("name"), name, Names.regexError("a valid environment variable name must "
            + "consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
            "[-._a-zA-Z][-._a-zA-Z0-9]*", "my.env-name", "MY_ENV.NAME", "MyEnvName1")));
      }
      if (e.has("value") && e.path("valueFrom").isObject()) {
        errs.add(FieldError.invalid(p.child("valueFrom"), "",
            "may not be specified when `value` is not empty"));
      }
    }
  }

  private static void resources(JsonNode res, FieldPath path, List<FieldError> errs) {
    JsonNode limits = res.path("limits");
    JsonNode requests = res.path("requests");
    for (String kind : new String[] {"limits", "requests"}) {
      for (Iterator<Map.Entry<String, JsonNode>> it = res.path(kind).fields(); it.hasNext(); ) {
        var e = it.next();
        Quantity q = quantity(e.getValue());
        if (q != null && q.amount().signum() < 0) {
          errs.add(FieldError.invalid(path.child(kind).key(e.getKey()), e.getValue().asText(), "must be greater than or equal to 0"));
        }
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = requests.fields(); it.hasNext(); ) {
      var e = it.next();
      JsonNode lim = limits.get(e.getKey());
      Quantity rq = quantity(e.getValue());
      Quantity lq = lim == null ? null : quantity(lim);
      if (rq != null && lq != null && rq.compareTo(lq) > 0) {
        errs.add(FieldError.invalid(path.child("requests").key(e.getKey()), e.getValue().asText(),
            "must be less than or equal to " + e.getKey() + " limit of " + lim.asText()));
      }
    }
  }

  static Quantity quantity(JsonNode n) {
    try {
      return Quantity.parse(n.asText());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static void mounts(JsonNode mounts, FieldPath path, Set<String> volumes, List<FieldError> errs) {
    Set<String> paths = new HashSet<>();
    for (int i = 0; i < mounts.size(); i++) {
      JsonNode m = mounts.get(i);
      FieldPath p = path.index(i);
      String name = m.path("name").asText("");
      if (name.isEmpty()) errs.add(FieldError.required(p.child("name"), ""));
      else if (!volumes.contains(name)) errs.add(FieldError.notFound(p.child("name"), name));
      String mp = m.path("mountPath").asText("");
      if (mp.isEmpty()) errs.add(FieldError.required(p.child("mountPath"), ""));
      else if (!paths.add(mp)) errs.add(FieldError.invalid(p.child("mountPath"), mp, "must be unique"));
    }
  }

  private static void probe(JsonNode probe, FieldPath path, boolean successMustBeOne, List<FieldError> errs) {
    int handlers = 0;
    for (String h : new String[] {"exec", "httpGet", "tcpSocket", "grpc"}) if (probe.path(h).isObject()) handlers++;
    if (handlers == 0) errs.add(FieldError.required(path, "must specify a handler type"));
    if (handlers > 1) errs.add(FieldError.forbidden(path, "may not specify more than 1 handler type"));
    long st = probe.path("successThreshold").asLong(1);
    if (successMustBeOne && st != 1) errs.add(FieldError.invalid(path.child("successThreshold"), st, "must be 1"));
    for (String f : new String[] {"initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"}) {
      long v = probe.path(f).asLong(0);
      if (v < 0) errs.add(FieldError.invalid(path.child(f), v, "must be greater than or equal to 0"));
    }
  }

  private static void tolerations(JsonNode tols, FieldPath path, List<FieldError> errs) {
    for (int i = 0; i < tols.size(); i++) {
      JsonNode t = tols.get(i);
      FieldPath p = path.index(i);
      String key = t.path("key").asText("");
      String op = t.path("operator").asText("");
      if (!key.isEmpty()) for (String m : Names.qualifiedName(key)) errs.add(FieldError.invalid(p.child("key"), key, m));
      if (key.isEmpty() && !op.equals("Exists")) {
        errs.add(FieldError.invalid(p.child("operator"), op, "operator must be Exists when `key` is empty, which means \"match all values and all keys\""));
      }
      if (!op.isEmpty() && !TOLERATION_OPERATORS.contains(op)) {
        errs.add(FieldError.notSupported(p.child("operator"), op, TOLERATION_OPERATORS));
      }
      if (op.equals("Exists") && !t.path("value").asText("").isEmpty()) {
        errs.add(FieldError.invalid(p.child("operator"), op, "value must be empty when `operator` is 'Exists'"));
      }
      String effect = t.path("effect").asText("");
      if (!effect.isEmpty() && !TAINT_EFFECTS.contains(effect)) {
        errs.add(FieldError.notSupported(p.child("effect"), effect, TAINT_EFFECTS));
      }
      if (t.hasNonNull("tolerationSeconds") && !effect.equals("NoExecute")) {
        errs.add(FieldError.invalid(p.child("effect"), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
      }
    }
  }

  /**
   * A pod update may only change container images, activeDeadlineSeconds, tolerations (by adding),
   * terminationGracePeriodSeconds and scheduling gates (by removing); anything else in spec is
   * Forbidden with Kubernetes' message.
   */
  public static List<FieldError> update(JsonNode spec, JsonNode oldSpec) {
    ObjectNode a = spec.deepCopy();
    ObjectNode b = oldSpec.deepCopy();
    for (String list : new String[] {"containers", "initContainers"}) {
      JsonNode na = a.path(list);
      JsonNode nb = b.path(list);
      if (na.size() == nb.size()) {
        for (int i = 0; i < na.size(); i++) {
          if (na.get(i) instanceof ObjectNode x && nb.get(i) instanceof ObjectNode y) {
            if (y.has("image")) x.set("image", y.get("image"));
            else x.remove("image");
          }
        }
      }
    }
    copy(a, b, "activeDeadlineSeconds");
    copy(a, b, "terminationGracePeriodSeconds");
    if (containsAll(a.path("tolerations"), b.path("tolerations"))) copy(a, b, "tolerations");
    if (containsAll(b.path("schedulingGates"), a.path("schedulingGates"))) copy(a, b, "schedulingGates");
    if (b.path("schedulingGates").size() > 0 || a.path("schedulingGates").size() > 0) copy(a, b, "nodeSelector");
    if (a.equals(b)) return List.of();
    return List.of(FieldError.forbidden(FieldPath.of("spec"), "pod updates may not change fields other than "
        + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
        + "`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` "
        + "(allow it to be set to 1 if it was previously negative)"));
  }

  private static void copy(ObjectNode to, ObjectNode from, String field) {
    if (from.has(field)) to.set(field, from.get(field));
    else to.remove(field);
  }

  private static boolean containsAll(JsonNode superset, JsonNode subset) {
    for (JsonNode x : subset) {
      boolean found = false;
      for (JsonNode y : superset) if (y.equals(x)) found = true;
      if (!found) return false;
    }
    return true;
  }

}
