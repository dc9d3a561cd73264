package kubelab.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Validation of {@code metadata} common to every kind (apimachinery's ValidateObjectMeta and
 * ValidateObjectMetaUpdate, Kubernetes 1.32): name or generateName, namespace, labels,
 * annotations (at most 256 KiB in total), finalizers, owner references; on update, the
 * immutable name, namespace, uid and creationTimestamp.
 */
public final class MetaValidation {
  private MetaValidation() {}

  /** Total size of all annotation keys and values (TotalAnnotationSizeLimitB). */
  public static final int ANNOTATIONS_MAX_BYTES = 256 * 1024;

  private static final FieldPath META = FieldPath.of("metadata");

  /**
   * @param namespaced whether the kind lives in a namespace (then metadata.namespace is required)
   * @param rule how names of this kind are checked
   */
  public static List<FieldError> validate(JsonNode meta, boolean namespaced, Names.Rule rule) {
    List<FieldError> errs = new ArrayList<>();
    String name = meta.path("name").asText("");
    String gen = meta.path("generateName").asText("");
    if (!gen.isEmpty()) {
      for (String m : Names.check(rule, gen, true)) errs.add(FieldError.invalid(META.child("generateName"), gen, m));
    }
    if (name.isEmpty()) {
      errs.add(FieldError.required(META.child("name"), "name or generateName is required"));
    } else {
      for (String m : Names.check(rule, name, false)) errs.add(FieldError.invalid(META.child("name"), name, m));
    }
    String ns = meta.path("namespace").asText("");
    if (namespaced) {
      if (ns.isEmpty()) {
        errs.add(FieldError.required(META.child("namespace"), ""));
      } else {
        for (String m : Names.dns1123Label(ns)) errs.add(FieldError.invalid(META.child("namespace"), ns, m));
      }
    } else if (!ns.isEmpty()) {
      errs.add(FieldError.forbidden(META.child("namespace"), "not allowed on this type"));
    }
    errs.addAll(labels(meta.path("labels"), META.child("labels")));
    errs.addAll(annotations(meta.path("annotations"), META.child("annotations")));
    for (int i = 0; i < meta.path("finalizers").size(); i++) {
      String f = meta.path("finalizers").get(i).asText();
      for (String m : Names.qualifiedName(f)) {
        errs.add(FieldError.invalid(META.child("finalizers").index(i), f, m));
      }
    }
    JsonNode owners = meta.path("ownerReferences");
    for (int i = 0; i < owners.size(); i++) {
      JsonNode o = owners.get(i);
      FieldPath p = META.child("ownerReferences").index(i);
      if (o.path("apiVersion").asText("").isEmpty()) errs.add(FieldError.invalid(p.child("apiVersion"), "", "version must not be empty"));
      if (o.path("kind").asText("").isEmpty()) errs.add(FieldError.invalid(p.child("kind"), "", "kind must not be empty"));
      if (o.path("name").asText("").isEmpty()) errs.add(FieldError.invalid(p.child("name"), "", "name must not be empty"));
      if (o.path("uid").asText("").isEmpty()) errs.add(FieldError.invalid(p.child("uid"), "", "uid must not be empty"));
    }
    return errs;
  }

  /** Label keys are qualified names; values are label values. */
  public static List<FieldError> labels(JsonNode labels, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    if (labels == null || !labels.isObject()) return errs;
    for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext(); ) {
      var e = it.next();
      for (String m : Names.qualifiedName(e.getKey())) errs.add(FieldError.invalid(p, e.getKey(), m));
      String v = e.getValue().isNull() ? "" : e.getValue().asText();
      for (String m : Names.labelValue(v)) errs.add(FieldError.invalid(p, v, m));
    }
    return errs;
  }

  public static List<FieldError> annotations(JsonNode ann, FieldPath p) {
    List<FieldError> errs = new ArrayList<>();
    if (ann == null || !ann.isObject()) return errs;
    long total = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = ann.fields(); it.hasNext(); ) {
      var e = it.next();
      for (String m : Names.qualifiedName(e.getKey().toLowerCase())) errs.add(FieldError.invalid(p, e.getKey(), m));
      total += e.getKey().getBytes(StandardCharsets.UTF_8).length
          + e.getValue().asText().getBytes(StandardCharsets.UTF_8).length;
    }
    if (total > ANNOTATIONS_MAX_BYTES) errs.add(FieldError.tooLong(p, ANNOTATIONS_MAX_BYTES));
    return errs;
  }

  /** Immutable metadata on update. */
  public static List<FieldError> validateUpdate(JsonNode meta, JsonNode old) {
    List<FieldError> errs = new ArrayList<>();
    immutable(errs, meta, old, "name");
    immutable(errs, meta, old, "namespace");
    immutable(errs, meta, old, "uid");
    immutable(errs, meta, old, "creationTimestamp");
    if (old.hasNonNull("deletionTimestamp")) {
      // ValidateNoNewFinalizers: once deletion started, finalizers may only be removed.
      java.util.Set<String> before = new java.util.HashSet<>();
      old.path("finalizers").forEach(f -> before.add(f.asText()));
      java.util.TreeSet<String> extra = new java.util.TreeSet<>();
      meta.path("finalizers").forEach(f -> {
        if (!before.contains(f.asText())) extra.add(f.asText());
      });
      if (!extra.isEmpty()) {
        errs.add(FieldError.forbidden(META.child("finalizers"), "no new finalizers can be added if the object is being deleted, "
            + "found new finalizers []string{" + String.join(", ", extra.stream().map(x -> "\"" + x.replace("\\", "\\\\").replace("\"", "\\\"") + "\"").toList()) + "}"));
      }
    }
    return errs;
  }

  private static void immutable(List<FieldError> errs, JsonNode meta, JsonNode old, String field) {
    String a = meta.path(field).asText("");
    String b = old.path(field).asText("");
    if (!a.equals(b)) errs.add(FieldError.invalid(META.child(field), a, "field is immutable"));
  }
}
