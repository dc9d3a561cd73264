package kubelab.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import kubelab.api.meta.LabelSelector;
import kubelab.api.Json;

/**
 * Validation of the workload kinds (Deployment, ReplicaSet, DaemonSet, StatefulSet, Job, CronJob)
 * with Kubernetes 1.32's rules and messages (pkg/apis/apps/validation, pkg/apis/batch/validation):
 * a non-empty selector that matches the template's labels, non-negative counts, the restart
 * policies each kind allows, and the fields that are immutable on update.
 */
public final class WorkloadValidation {
  private WorkloadValidation() {}

  private static final FieldPath SPEC = FieldPath.of("spec");

  /**
   * Deployment, ReplicaSet, DaemonSet, StatefulSet: selector, template, replicas.
   *
   * @param kind for messages ("deployment")
   * @param restartPolicies the template restart policies the kind accepts
   */
  public static List<FieldError> spec(JsonNode spec, String kind, boolean hasReplicas, List<String> restartPolicies) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode sel = spec.path("selector");
    FieldPath selPath = SPEC.child("selector");
    boolean selectorOk = false;
    if (!sel.isObject()) {
      errs.add(FieldError.required(selPath, ""));
    } else if (sel.path("matchLabels").size() == 0 && sel.path("matchExpressions").size() == 0) {
      errs.add(FieldError.invalid(selPath, GoFormat.labelSelector(sel), "empty selector is invalid for " + kind));
    } else {
      errs.addAll(selector(sel, selPath));
      selectorOk = errs.isEmpty();
    }
    if (hasReplicas) nonNegative(spec, "replicas", errs);
    nonNegative(spec, "minReadySeconds", errs);
    nonNegative(spec, "revisionHistoryLimit", errs);
    JsonNode template = spec.path("template");
    FieldPath tp = SPEC.child("template");
    if (!template.isObject()) {
      errs.add(FieldError.required(tp, ""));
      return errs;
    }
    JsonNode labels = template.path("metadata").path("labels");
    errs.addAll(MetaValidation.labels(labels, tp.child("metadata", "labels")));
    if (selectorOk && !matches(sel, labels)) {
      errs.add(FieldError.invalid(tp.child("metadata", "labels"), GoFormat.labelMap(labels),
          "`selector` does not match template `labels`"));
    }
    errs.addAll(PodValidation.spec(template.path("spec"), tp.child("spec")));
    String rp = template.path("spec").path("restartPolicy").asText("");
    if (!rp.isEmpty() && PodValidation.RESTART_POLICIES.contains(rp) && !restartPolicies.contains(rp)) {
      errs.add(FieldError.notSupported(tp.child("spec", "restartPolicy"), rp, restartPolicies));
    }
    return errs;
  }

  public static List<FieldError> deployment(JsonNode spec) {
    List<FieldError> errs = spec(spec, "deployment", true, List.of("Always"));
    JsonNode ru = spec.path("strategy").path("rollingUpdate");
    String type = spec.path("strategy").path("type").asText("");
    if (!type.isEmpty() && !List.of("Recreate", "RollingUpdate").contains(type)) {
      errs.add(FieldError.notSupported(SPEC.child("strategy", "type"), type, List.of("Recreate", "RollingUpdate")));
    }
    if (type.equals("Recreate") && ru.isObject()) {
      errs.add(FieldError.forbidden(SPEC.child("strategy", "rollingUpdate"),
          "may not be specified when strategy `type` is 'Recreate'"));
    }
    if (ru.isObject() && isZero(ru.path("maxUnavailable")) && isZero(ru.path("maxSurge"))) {
      errs.add(FieldError.invalid(SPEC.child("strategy", "rollingUpdate", "maxUnavailable"),
          GoFormat.intOrString(ru.path("maxUnavailable")), "may not be 0 when `maxSurge` is 0"));
    }
    JsonNode pds = spec.path("progressDeadlineSeconds");
    JsonNode mrs = spec.path("minReadySeconds");
    if (pds.isNumber() && mrs.isNumber() && pds.asLong() <= mrs.asLong()) {
      errs.add(FieldError.invalid(SPEC.child("progressDeadlineSeconds"), pds.asLong(),
          "must be greater than minReadySeconds"));
    }
    return errs;
  }

  private static boolean isZero(JsonNode v) {
    if (v.isMissingNode() || v.isNull()) return false;
    return v.isNumber() ? v.asInt() == 0 : v.asText().equals("0") || v.asText().equals("0%");
  }

  /** Update: the selector of apps/v1 workloads is immutable. */
  public static List<FieldError> selectorImmutable(JsonNode spec, JsonNode oldSpec) {
    if (spec.path("selector").equals(oldSpec.path("selector"))) return List.of();
    return List.of(FieldError.invalid(SPEC.child("selector"), GoFormat.labelSelector(spec.path("selector")),
        "field is immutable"));
  }

  public static List<FieldError> job(JsonNode spec, boolean generatedSelector) {
    List<FieldError> errs = new ArrayList<>();
    for (String f : new String[] {"parallelism", "completions", "backoffLimit", "activeDeadlineSeconds", "ttlSecondsAfterFinished"}) {
      nonNegative(spec, f, errs);
    }
    JsonNode template = spec.path("template");
    FieldPath tp = SPEC.child("template");
    if (!template.isObject()) {
      errs.add(FieldError.required(tp, ""));
      return errs;
    }
    if (!generatedSelector) {
      JsonNode sel = spec.path("selector");
      if (!sel.isObject()) errs.add(FieldError.required(SPEC.child("selector"), ""));
      else if (!matches(sel, template.path("metadata").path("labels"))) {
        errs.add(FieldError.invalid(tp.child("metadata", "labels"), GoFormat.labelMap(template.path("metadata").path("labels")),
            "`selector` does not match template `labels`"));
      }
    }
    errs.addAll(PodValidation.spec(template.path("spec"), tp.child("spec")));
    String rp = template.path("spec").path("restartPolicy").asText("");
    if (!rp.equals("OnFailure") && !rp.equals("Never")) {
      errs.add(FieldError.notSupported(tp.child("spec", "restartPolicy"), rp, List.of("OnFailure", "Never")));
    }
    String mode = spec.path("completionMode").asText("");
    if (!mode.isEmpty() && !List.of("NonIndexed", "Indexed").contains(mode)) {
      errs.add(FieldError.notSupported(SPEC.child("completionMode"), mode, List.of("NonIndexed", "Indexed")));
    }
    return errs;
  }

  /** Update: a Job's pod template and selector are immutable. */
  public static List<FieldError> jobUpdate(JsonNode spec, JsonNode oldSpec) {
    List<FieldError> errs = new ArrayList<>();
    if (!spec.path("template").equals(oldSpec.path("template"))) {
      errs.add(FieldError.invalid(SPEC.child("template"), new GoFormat.Raw("core.PodTemplateSpec{...}"), "field is immutable"));
    }
    if (!spec.path("selector").equals(oldSpec.path("selector"))) {
      errs.add(FieldError.invalid(SPEC.child("selector"), GoFormat.labelSelector(spec.path("selector")), "field is immutable"));
    }
    if (!spec.path("completions").equals(oldSpec.path("completions"))) {
      errs.add(FieldError.invalid(SPEC.child("completions"), spec.path("completions").asLong(), "field is immutable"));
    }
    return errs;
  }

  public static List<FieldError> cronJob(JsonNode obj) {
    List<FieldError> errs = new ArrayList<>();
    JsonNode spec = obj.path("spec");
    String name = obj.path("metadata").path("name").asText("");
    if (name.length() > 52) {
      errs.add(FieldError.invalid(FieldPath.of("metadata", "name"), name, "must be no more than 52 characters"));
    }
    String schedule = spec.path("schedule").asText("");
    if (schedule.isEmpty()) {
      errs.add(FieldError.required(SPEC.child("schedule"), ""));
    } else {
      String err = Cron.check(schedule);
      if (err != null) errs.add(FieldError.invalid(SPEC.child("schedule"), schedule, err));
    }
    String cp = spec.path("concurrencyPolicy").asText("");
    if (!cp.isEmpty() && !List.of("Allow", "Forbid", "Replace").contains(cp)) {
      errs.add(FieldError.notSupported(SPEC.child("concurrencyPolicy"), cp, List.of("Allow", "Forbid", "Replace")));
    }
    JsonNode jt = spec.path("jobTemplate").path("spec");
    if (!jt.isObject()) {
      errs.add(FieldError.required(SPEC.child("jobTemplate"), ""));
    } else {
      for (FieldError e : job(jt, true)) {
        errs.add(new FieldError(e.type(), e.field().replaceFirst("^spec\\.", "spec.jobTemplate.spec."), e.value(), e.detail()));
      }
    }
    return errs;
  }

  private static void nonNegative(JsonNode spec, String field, List<FieldError> errs) {
    JsonNode v = spec.path(field);
    if (v.isNumber() && v.asLong() < 0) {
      errs.add(FieldError.invalid(SPEC.child(field), v.asLong(), "must be greater than or equal to 0"));
    }
  }

  /** Label selector structure (operators, keys, values). */
  public static List<FieldError> selector(JsonNode sel, FieldPath path) {
    List<FieldError> errs = new ArrayList<>(MetaValidation.labels(sel.path("matchLabels"), path.child("matchLabels")));
    JsonNode exprs = sel.path("matchExpressions");
    for (int i = 0; i < exprs.size(); i++) {
      JsonNode x = exprs.get(i);
      FieldPath p = path.child("matchExpressions").index(i);
      String op = x.path("operator").asText("");
      int n = x.path("values").size();
      switch (op) {
        case "In", "NotIn" -> {
          if (n == 0) errs.add(FieldError.required(p.child("values"), "must be specified when `operator` is 'In' or 'NotIn'"));
        }
        case "Exists", "DoesNotExist" -> {
          if (n > 0) errs.add(FieldError.forbidden(p.child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        }
        default -> errs.add(FieldError.invalid(p.child("operator"), op, "not a valid selector operator"));
      }
      String key = x.path("key").asText("");
      for (String m : Names.qualifiedName(key)) errs.add(FieldError.invalid(p.child("key"), key, m));
    }
    return errs;
  }

  static boolean matches(JsonNode sel, JsonNode labels) {
    Map<String, String> l = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
      var e = it.next();
      l.put(e.getKey(), e.getValue().asText());
    }
    try {
      return Json.convert(sel, LabelSelector.class).matches(l);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
