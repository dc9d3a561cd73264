package kubelab.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import kubelab.api.resource.Quantity;

/**
 * Validation of Services, ConfigMaps, Secrets, Nodes, PriorityClasses, RBAC objects,
 * LimitRanges, ResourceQuotas, PodDisruptionBudgets and Events, with Kubernetes 1.32's rules
 * and messages (the subset learners meet).
 */
public final class CoreValidation {
  private CoreValidation() {}

  private static final FieldPath SPEC = FieldPath.of("spec");
  private static final Pattern CONFIG_KEY = Pattern.compile("^[-._a-zA-Z0-9]+$");
  static final List<String> SERVICE_TYPES = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
  /** Largest ConfigMap or Secret payload (MaxSecretSize / ConfigMap limit). */
  public static final int MAX_DATA_BYTES = 1024 * 1024;

  public static List<FieldError> service(JsonNode svc) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode spec = svc.path("spec");
    String type = spec.path("type").asText("ClusterIP");
    if (!SERVICE_TYPES.contains(type)) errs.add(FieldError.notSupported(SPEC.child("type"), type, SERVICE_TYPES));
    boolean headless = "None".equals(spec.path("clusterIP").asText(""));
    JsonNode ports = spec.path("ports");
    if (type.equals("ExternalName")) {
      String en = spec.path("externalName").asText("");
      if (en.isEmpty()) errs.add(FieldError.required(SPEC.child("externalName"), ""));
    } else if (ports.size() == 0 && !headless) {
      errs.add(FieldError.required(SPEC.child("ports"), ""));
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      JsonNode p = ports.get(i);
      FieldPath pp = SPEC.child("ports").index(i);
      String name = p.path("name").asText("");
      if (ports.size() > 1 && name.isEmpty()) errs.add(FieldError.required(pp.child("name"), ""));
      if (!name.isEmpty()) {
        for (String m : Names.dns1123Label(name)) errs.add(FieldError.invalid(pp.child("name"), name, m));
        if (!names.add(name)) errs.add(FieldError.duplicate(pp.child("name"), name));
      }
      long port = p.path("port").asLong(0);
      if (port < 1 || port > 65535) errs.add(FieldError.invalid(pp.child("port"), port, "must be between 1 and 65535, inclusive"));
      String proto = p.path("protocol").asText("");
      if (!PodValidation.PROTOCOLS.contains(proto)) errs.add(FieldError.notSupported(pp.child("protocol"), proto, PodValidation.PROTOCOLS));
      JsonNode tp = p.path("targetPort");
      if (tp.isNumber() && (tp.asLong() < 1 || tp.asLong() > 65535)) {
        errs.add(FieldError.invalid(pp.child("targetPort"), tp.asLong(), "must be between 1 and 65535, inclusive"));
      } else if (tp.isTextual()) {
        for (String m : PodValidation.portName(tp.asText())) errs.add(FieldError.invalid(pp.child("targetPort"), tp.asText(), m));
      }
      long np = p.path("nodePort").asLong(0);
      if (np != 0 && !type.equals("NodePort") && !type.equals("LoadBalancer")) {
        errs.add(FieldError.forbidden(pp.child("nodePort"), "may not be used when `type` is '" + type + "'"));
      }
    }
    errs.addAll(MetaValidation.labels(spec.path("selector"), SPEC.child("selector")));
    String sa = spec.path("sessionAffinity").asText("None");
    if (!List.of("ClientIP", "None").contains(sa)) errs.add(FieldError.notSupported(SPEC.child("sessionAffinity"), sa, List.of("ClientIP", "None")));
    String ip = spec.path("clusterIP").asText("");
    if (!ip.isEmpty() && !headless && !ip.matches("^(\\d{1,3}\\.){3}\\d{1,3}$")) {
      errs.add(FieldError.invalid(SPEC.child("clusterIPs").index(0), ip, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
    }
    return errs;
  }

  public static List<FieldError> serviceUpdate(JsonNode svc, JsonNode old) {
    List<FieldError> errs = service(svc);
    String ip = svc.path("spec").path("clusterIP").asText("");
    String oldIp = old.path("spec").path("clusterIP").asText("");
    String type = svc.path("spec").path("type").asText("");
    if (!oldIp.isEmpty() && !ip.equals(oldIp) && !type.equals("ExternalName")) {
      errs.add(FieldError.invalid(SPEC.child("clusterIPs").index(0), List.of(ip), "may not change once set"));
    }
    return errs;
  }

  /** ConfigMap and Secret data: valid keys, at most 1 MiB, no key in both maps. */
  public static List<FieldError> data(JsonNode obj, String textField, String bytesField, boolean secret) {
    List<FieldError> errs = new ArrayList<>();
    long size = 0;
    Set<String> keys = new HashSet<>();
    for (String field : new String[] {textField, bytesField}) {
      if (field == null) continue;
      for (Iterator<Map.Entry<String, JsonNode>> it = obj.path(field).fields(); it.hasNext(); ) {
        var e = it.next();
        FieldPath p = FieldPath.of(field).key(e.getKey());
        if (!CONFIG_KEY.matcher(e.getKey()).matches() || e.getKey().length() > Names.DNS1123_SUBDOMAIN_MAX) {
          errs.add(FieldError.invalid(p, e.getKey(), Names.regexError("a valid config key must consist of alphanumeric "
              + "characters, '-', '_' or '.'", "[-._a-zA-Z0-9]+", "key.name", "KEY_NAME", "key-name")));
        }
        if (!keys.add(e.getKey())) {
          errs.add(FieldError.invalid(p, e.getKey(), "duplicate of key present in " + (field.equals(textField) ? bytesField : textField)));
        }
        String v = e.getValue().asText("");
        size += field.equals(bytesField) || (secret && field.equals(textField) && bytesField == null) ? decodedLength(v) : v.getBytes(StandardCharsets.UTF_8).length;
      }
    }
    if (size > MAX_DATA_BYTES) errs.add(FieldError.tooLong(FieldPath.of(secret ? "data" : ""), MAX_DATA_BYTES));
    return errs;
  }

  private static long decodedLength(String b64) {
    try {
      return Base64.getDecoder().decode(b64).length;
    } catch (IllegalArgumentException e) {
      return b64.length();
    }
  }

  public static List<FieldError> configMap(JsonNode cm) {
    return data(cm, "data", "binaryData", false);
  }

  public static List<FieldError> immutableData(JsonNode obj, JsonNode old, String... fields) {
    List<FieldError> errs = new ArrayList<>();
    if (!old.path("immutable").asBoolean(false)) return errs;
    for (String f : fields) {
      if (!obj.path(f).equals(old.path(f))) errs.add(FieldError.forbidden(FieldPath.of(f), "field is immutable when `immutable` is set"));
    }
    if (!obj.path("immutable").asBoolean(false)) {
      errs.add(FieldError.forbidden(FieldPath.of("immutable"), "field is immutable when `immutable` is set"));
    }
    return errs;
  }

  public static List<FieldError> secret(JsonNode s) {
    List<FieldError> errs = data(s, "data", null, true);
    String type = s.path("type").asText("Opaque");
    JsonNode data = s.path("data");
    switch (type) {
      case "kubernetes.io/tls" -> {
        for (String k : new String[] {"tls.crt", "tls.key"}) {
          if (!data.has(k)) errs.add(FieldError.required(FieldPath.of("data").key(k), ""));
        }
      }
      case "kubernetes.io/dockerconfigjson" -> {
        if (!data.has(".dockerconfigjson")) errs.add(FieldError.required(FieldPath.of("data").key(".dockerconfigjson"), ""));
      }
      case "kubernetes.io/basic-auth" -> {
        if (!data.has("username") && !data.has("password")) {
          errs.add(FieldError.required(FieldPath.of("data").key("username"), ""));
        }
      }
      default -> { }
    }
    return errs;
  }

  public static List<FieldError> secretUpdate(JsonNode s, JsonNode old) {
    List<FieldError> errs = secret(s);
    String t = s.path("type").asText("Opaque");
    if (!t.equals(old.path("type").asText("Opaque"))) errs.add(FieldError.invalid(FieldPath.of("type"), t, "field is immutable"));
    errs.addAll(immutableData(s, old, "data"));
    return errs;
  }

  public static List<FieldError> node(JsonNode n) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode taints = n.path("spec").path("taints");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < taints.size(); i++) {
      JsonNode t = taints.get(i);
      FieldPath p = SPEC.child("taints").index(i);
      String key = t.path("key").asText("");
      if (key.isEmpty()) errs.add(FieldError.required(p.child("key"), ""));
      else for (String m : Names.qualifiedName(key)) errs.add(FieldError.invalid(p.child("key"), key, m));
      String effect = t.path("effect").asText("");
      if (effect.isEmpty()) errs.add(FieldError.required(p.child("effect"), ""));
      else if (!PodValidation.TAINT_EFFECTS.contains(effect)) errs.add(FieldError.notSupported(p.child("effect"), effect, PodValidation.TAINT_EFFECTS));
      if (!seen.add(key + ":" + effect)) {
        errs.add(FieldError.duplicate(p, "taints must be unique by key and effect pair"));
      }
    }
    return errs;
  }

  public static List<FieldError> priorityClass(JsonNode pc, boolean builtin) {
    List<FieldError> errs = new ArrayList<>();
    String name = pc.path("metadata").path("name").asText("");
    if (name.startsWith("system-") && !builtin) {
      errs.add(FieldError.invalid(FieldPath.of("metadata", "name"), name, "priority class names with 'system-' prefix are reserved"));
    }
    long v = pc.path("value").asLong(0);
    if (v > 1_000_000_000L && !builtin) {
      errs.add(FieldError.forbidden(FieldPath.of("value"), "maximum allowed value of a user defined priority is 1000000000"));
    }
    String pp = pc.path("preemptionPolicy").asText("");
    if (!pp.isEmpty() && !List.of("Never", "PreemptLowerPriority").contains(pp)) {
      errs.add(FieldError.notSupported(FieldPath.of("preemptionPolicy"), pp, List.of("Never", "PreemptLowerPriority")));
    }
    return errs;
  }

  public static List<FieldError> priorityClassUpdate(JsonNode pc, JsonNode old) {
    List<FieldError> errs = new ArrayList<>();
    if (pc.path("value").asLong(0) != old.path("value").asLong(0)) {
      errs.add(FieldError.forbidden(FieldPath.of("Value"), "may not be changed in an update."));
    }
    if (!pc.path("preemptionPolicy").equals(old.path("preemptionPolicy"))) {
      errs.add(FieldError.invalid(FieldPath.of("preemptionPolicy"), pc.path("preemptionPolicy").asText(), "field is immutable"));
    }
    return errs;
  }

  public static List<FieldError> rules(JsonNode rules, boolean namespaced) {
    List<FieldError> errs = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      JsonNode r = rules.get(i);
      FieldPath p = FieldPath.of("rules").index(i);
      if (r.path("verbs").size() == 0) errs.add(FieldError.required(p.child("verbs"), "verbs must contain at least one value"));
      boolean hasUrls = r.path("nonResourceURLs").size() > 0;
      boolean hasResources = r.path("resources").size() > 0 || r.path("apiGroups").size() > 0;
      if (hasUrls && namespaced) {
        errs.add(FieldError.invalid(p.child("nonResourceURLs"), list(r.path("nonResourceURLs")),
            "namespaced rules cannot apply to non-resource URLs"));
      }
      if (hasUrls && hasResources) {
        errs.add(FieldError.invalid(p.child("nonResourceURLs"), list(r.path("nonResourceURLs")),
            "rules cannot apply to both regular resources and non-resource URLs"));
      }
      if (!hasUrls) {
        if (r.path("apiGroups").size() == 0) errs.add(FieldError.required(p.child("apiGroups"), "resource rules must supply at least one api group"));
        if (r.path("resources").size() == 0) errs.add(FieldError.required(p.child("resources"), "resource rules must supply at least one resource"));
      }
    }
    return errs;
  }

  public static List<FieldError> binding(JsonNode b, boolean cluster) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode ref = b.path("roleRef");
    String group = ref.path("apiGroup").asText("");
    if (!group.equals("rbac.authorization.k8s.io")) {
      errs.add(FieldError.notSupported(FieldPath.of("roleRef", "apiGroup"), group, List.of("rbac.authorization.k8s.io")));
    }
    String kind = ref.path("kind").asText("");
    List<String> kinds = cluster ? List.of("ClusterRole") : List.of("Role", "ClusterRole");
    if (!kinds.contains(kind)) errs.add(FieldError.notSupported(FieldPath.of("roleRef", "kind"), kind, kinds));
    if (ref.path("name").asText("").isEmpty()) errs.add(FieldError.required(FieldPath.of("roleRef", "name"), ""));
    JsonNode subjects = b.path("subjects");
    for (int i = 0; i < subjects.size(); i++) {
      JsonNode s = subjects.get(i);
      FieldPath p = FieldPath.of("subjects").index(i);
      String sk = s.path("kind").asText("");
      if (!List.of("ServiceAccount", "User", "Group").contains(sk)) {
        errs.add(FieldError.notSupported(p.child("kind"), sk, List.of("ServiceAccount", "User", "Group")));
      }
      if (s.path("name").asText("").isEmpty()) errs.add(FieldError.required(p.child("name"), ""));
      if (sk.equals("ServiceAccount") && cluster && s.path("namespace").asText("").isEmpty()) {
        errs.add(FieldError.required(p.child("namespace"), ""));
      }
    }
    return errs;
  }

  public static List<FieldError> bindingUpdate(JsonNode b, JsonNode old, boolean cluster) {
    List<FieldError> errs = binding(b, cluster);
    if (!b.path("roleRef").equals(old.path("roleRef"))) {
      errs.add(FieldError.invalid(FieldPath.of("roleRef"), new GoFormat.Raw("rbac.RoleRef{APIGroup:"
          + FieldError.quote(b.path("roleRef").path("apiGroup").asText()) + ", Kind:" + FieldError.quote(b.path("roleRef").path("kind").asText())
          + ", Name:" + FieldError.quote(b.path("roleRef").path("name").asText()) + "}"), "cannot change roleRef"));
    }
    return errs;
  }

  public static List<FieldError> limitRange(JsonNode lr) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode limits = lr.path("spec").path("limits");
    for (int i = 0; i < limits.size(); i++) {
      JsonNode item = limits.get(i);
      FieldPath p = SPEC.child("limits").index(i);
      String type = item.path("type").asText("");
      List<String> types = List.of("Container", "Pod", "PersistentVolumeClaim");
      if (!types.contains(type)) errs.add(FieldError.notSupported(p.child("type"), type, types));
      for (Iterator<Map.Entry<String, JsonNode>> it = item.path("min").fields(); it.hasNext(); ) {
        var e = it.next();
        Quantity min = PodValidation.quantity(e.getValue());
        Quantity max = item.path("max").has(e.getKey()) ? PodValidation.quantity(item.path("max").get(e.getKey())) : null;
        if (min != null && max != null && min.compareTo(max) > 0) {
          errs.add(FieldError.invalid(p.child("min").key(e.getKey()), e.getValue().asText(),
              "min value " + e.getValue().asText() + " is greater than max value " + item.path("max").get(e.getKey()).asText()));
        }
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = item.path("default").fields(); it.hasNext(); ) {
        var e = it.next();
        Quantity d = PodValidation.quantity(e.getValue());
        JsonNode maxN = item.path("max").get(e.getKey());
        if (d != null && maxN != null && PodValidation.quantity(maxN) != null && d.compareTo(PodValidation.quantity(maxN)) > 0) {
          errs.add(FieldError.invalid(p.child("default").key(e.getKey()), e.getValue().asText(),
              "default value " + e.getValue().asText() + " is greater than max value " + maxN.asText()));
        }
      }
    }
    return errs;
  }

  public static List<FieldError> resourceQuota(JsonNode q) {
    List<FieldError> errs = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = q.path("spec").path("hard").fields(); it.hasNext(); ) {
      var e = it.next();
      Quantity v = PodValidation.quantity(e.getValue());
      if (v != null && v.amount().signum() < 0) {
        errs.add(FieldError.invalid(SPEC.child("hard").key(e.getKey()), e.getValue().asText(), "must be greater than or equal to 0"));
      }
    }
    return errs;
  }

  public static List<FieldError> podDisruptionBudget(JsonNode pdb) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode spec = pdb.path("spec");
    if (spec.hasNonNull("minAvailable") && spec.hasNonNull("maxUnavailable")) {
      errs.add(FieldError.invalid(SPEC, new GoFormat.Raw("policy.PodDisruptionBudgetSpec{...}"),
          "minAvailable and maxUnavailable cannot be both set"));
    }
    for (String f : new String[] {"minAvailable", "maxUnavailable"}) {
      JsonNode v = spec.path(f);
      if (v.isNumber() && v.asLong() < 0) errs.add(FieldError.invalid(SPEC.child(f), v.asLong(), "must be greater than or equal to 0"));
      if (v.isTextual() && !v.asText().matches("^\\d+%$")) {
        errs.add(FieldError.invalid(SPEC.child(f), v.asText(), "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"));
      }
    }
    if (spec.path("selector").isObject()) errs.addAll(WorkloadValidation.selector(spec.path("selector"), SPEC.child("selector")));
    return errs;
  }

  public static List<FieldError> event(JsonNode ev) {
    List<FieldError> errs = new ArrayList<>();
    String ns = ev.path("metadata").path("namespace").asText("");
    String ions = ev.path("involvedObject").path("namespace").asText("");
    if (!ions.isEmpty() && !ions.equals(ns)) {
      errs.add(FieldError.invalid(FieldPath.of("involvedObject", "namespace"), ions, "does not match event.namespace"));
    }
    return errs;
  }

  private static List<String> list(JsonNode arr) {
    List<String> out = new ArrayList<>();
    for (JsonNode x : arr) out.add(x.asText());
    return out;
  }
}
