package kubelab.api.defaults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * Defaulting of API objects: the values Kubernetes 1.32 fills in when a field is left empty
 * (its SetDefaults_* functions), so {@code kubectl get -o yaml} shows what a real cluster would.
 * Applied to the JSON tree before admission and validation; idempotent.
 *
 * <p>Server-allocated values (a Service's clusterIP, a Job's selector) are not defaults: the
 * kinds' strategies set them.
 */
public final class Defaults {
  private Defaults() {}

  public static void apply(String apiVersion, String kind, ObjectNode obj) {
    ObjectNode spec = obj.get("spec") instanceof ObjectNode s ? s : null;
    switch (apiVersion + "/" + kind) {
      case "v1/Pod" -> {
        if (spec == null) spec = obj.putObject("spec");
        PodDefaults.spec(spec);
      }
      case "v1/Service" -> {
        if (spec == null) spec = obj.putObject("spec");
        service(spec);
      }
      case "v1/Namespace" -> {
        ObjectNode st = obj.get("status") instanceof ObjectNode s ? s : obj.putObject("status");
        PodDefaults.putIfAbsent(st, "phase", "Active");
      }
      case "v1/Secret" -> PodDefaults.putIfAbsent(obj, "type", "Opaque");
      case "v1/Endpoints" -> {
        for (JsonNode ss : obj.path("subsets")) {
          for (JsonNode p : ss.path("ports")) if (p instanceof ObjectNode o) PodDefaults.putIfAbsent(o, "protocol", "TCP");
        }
      }
      case "v1/LimitRange" -> {
        if (spec != null) for (JsonNode item : spec.path("limits")) if (item instanceof ObjectNode o) limitRangeItem(o);
      }
      case "apps/v1/Deployment" -> {
        if (spec == null) break;
        putIntIfAbsent(spec, "replicas", 1);
        ObjectNode strategy = spec.get("strategy") instanceof ObjectNode s ? s : spec.putObject("strategy");
        PodDefaults.putIfAbsent(strategy, "type", "RollingUpdate");
        if ("RollingUpdate".equals(strategy.path("type").asText())) {
          ObjectNode ru = strategy.get("rollingUpdate") instanceof ObjectNode r ? r : strategy.putObject("rollingUpdate");
          if (!ru.hasNonNull("maxUnavailable")) ru.put("maxUnavailable", "25%");
          if (!ru.hasNonNull("maxSurge")) ru.put("maxSurge", "25%");
        }
        putIntIfAbsent(spec, "revisionHistoryLimit", 10);
        putIntIfAbsent(spec, "progressDeadlineSeconds", 600);
        PodDefaults.template(spec.path("template"));
      }
      case "apps/v1/ReplicaSet" -> {
        if (spec == null) break;
        putIntIfAbsent(spec, "replicas", 1);
        PodDefaults.template(spec.path("template"));
      }
      case "apps/v1/DaemonSet" -> {
        if (spec == null) break;
        ObjectNode us = spec.get("updateStrategy") instanceof ObjectNode s ? s : spec.putObject("updateStrategy");
        PodDefaults.putIfAbsent(us, "type", "RollingUpdate");
        if ("RollingUpdate".equals(us.path("type").asText())) {
          ObjectNode ru = us.get("rollingUpdate") instanceof ObjectNode r ? r : us.putObject("rollingUpdate");
          if (!ru.hasNonNull("maxUnavailable")) ru.put("maxUnavailable", 1);
          if (!ru.hasNonNull("maxSurge")) ru.put("maxSurge", 0);
        }
        putIntIfAbsent(spec, "revisionHistoryLimit", 10);
        PodDefaults.template(spec.path("template"));
      }
      case "apps/v1/StatefulSet" -> {
        if (spec == null) break;
        putIntIfAbsent(spec, "replicas", 1);
        PodDefaults.putIfAbsent(spec, "podManagementPolicy", "OrderedReady");
        ObjectNode us = spec.get("updateStrategy") instanceof ObjectNode s ? s : spec.putObject("updateStrategy");
        PodDefaults.putIfAbsent(us, "type", "RollingUpdate");
        if ("RollingUpdate".equals(us.path("type").asText())) {
          ObjectNode ru = us.get("rollingUpdate") instanceof ObjectNode r ? r : us.putObject("rollingUpdate");
          putIntIfAbsent(ru, "partition", 0);
        }
        putIntIfAbsent(spec, "revisionHistoryLimit", 10);
        ObjectNode ret = spec.get("persistentVolumeClaimRetentionPolicy") instanceof ObjectNode r ? r
            : spec.putObject("persistentVolumeClaimRetentionPolicy");
        PodDefaults.putIfAbsent(ret, "whenDeleted", "Retain");
        PodDefaults.putIfAbsent(ret, "whenScaled", "Retain");
        PodDefaults.template(spec.path("template"));
      }
      case "batch/v1/Job" -> {
        if (spec != null) job(spec);
      }
      case "batch/v1/CronJob" -> {
        if (spec == null) break;
        PodDefaults.putIfAbsent(spec, "concurrencyPolicy", "Allow");
        if (!spec.hasNonNull("suspend")) spec.put("suspend", false);
        putIntIfAbsent(spec, "successfulJobsHistoryLimit", 3);
        putIntIfAbsent(spec, "failedJobsHistoryLimit", 1);
        if (spec.path("jobTemplate").path("spec") instanceof ObjectNode js) PodDefaults.template(js.path("template"));
      }
      case "scheduling.k8s.io/v1/PriorityClass" -> PodDefaults.putIfAbsent(obj, "preemptionPolicy", "PreemptLowerPriority");
      case "rbac.authorization.k8s.io/v1/RoleBinding", "rbac.authorization.k8s.io/v1/ClusterRoleBinding" -> {
        for (JsonNode s : obj.path("subjects")) {
          if (s instanceof ObjectNode o && !o.hasNonNull("apiGroup")) {
            String k = o.path("kind").asText();
            if (k.equals("User") || k.equals("Group")) o.put("apiGroup", "rbac.authorization.k8s.io");
          }
        }
      }
      default -> { }
    }
  }

  private static void service(ObjectNode spec) {
    PodDefaults.putIfAbsent(spec, "type", "ClusterIP");
    PodDefaults.putIfAbsent(spec, "sessionAffinity", "None");
    String type = spec.path("type").asText();
    if (!type.equals("ExternalName")) PodDefaults.putIfAbsent(spec, "internalTrafficPolicy", "Cluster");
    if (type.equals("NodePort") || type.equals("LoadBalancer")) {
      PodDefaults.putIfAbsent(spec, "externalTrafficPolicy", "Cluster");
    }
    if (type.equals("LoadBalancer") && !spec.hasNonNull("allocateLoadBalancerNodePorts")) {
      spec.put("allocateLoadBalancerNodePorts", true);
    }
    for (JsonNode p : spec.path("ports")) {
      if (p instanceof ObjectNode o) {
        PodDefaults.putIfAbsent(o, "protocol", "TCP");
        if (!o.hasNonNull("targetPort") && o.hasNonNull("port")) o.set("targetPort", o.get("port"));
      }
    }
    if (spec.path("sessionAffinity").asText().equals("ClientIP") && !spec.hasNonNull("sessionAffinityConfig")) {
      spec.putObject("sessionAffinityConfig").putObject("clientIP").put("timeoutSeconds", 10800);
    }
  }

  private static void job(ObjectNode spec) {
    if (!spec.hasNonNull("completions") && !spec.hasNonNull("parallelism")) {
      spec.put("completions", 1);
      spec.put("parallelism", 1);
    }
    putIntIfAbsent(spec, "parallelism", 1);
    putIntIfAbsent(spec, "backoffLimit", 6);
    PodDefaults.putIfAbsent(spec, "completionMode", "NonIndexed");
    if (!spec.hasNonNull("suspend")) spec.put("suspend", false);
    PodDefaults.putIfAbsent(spec, "podReplacementPolicy",
        spec.hasNonNull("podFailurePolicy") ? "Failed" : "TerminatingOrFailed");
    PodDefaults.template(spec.path("template"));
  }

  private static void limitRangeItem(ObjectNode item) {
    if (!"Container".equals(item.path("type").asText())) return;
    ObjectNode dflt = item.get("default") instanceof ObjectNode d ? d : item.putObject("default");
    ObjectNode req = item.get("defaultRequest") instanceof ObjectNode r ? r : item.putObject("defaultRequest");
    copyMissing(item.path("max"), dflt);
    copyMissing(dflt, req);
    copyMissing(item.path("min"), req);
    if (dflt.isEmpty()) item.remove("default");
    if (req.isEmpty()) item.remove("defaultRequest");
  }

  private static void copyMissing(JsonNode from, ObjectNode to) {
    for (Iterator<Map.Entry<String, JsonNode>> it = from.fields(); it.hasNext(); ) {
      var e = it.next();
      if (!to.has(e.getKey())) to.set(e.getKey(), e.getValue().deepCopy());
    }
  }

  private static void putIntIfAbsent(ObjectNode o, String field, int v) {
    if (!o.hasNonNull(field)) o.put(field, v);
  }
}
