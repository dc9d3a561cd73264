package kubelab.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Values printed the way Go's {@code %#v} prints them in Kubernetes' validation messages, for the
 * few struct values learners meet: label selectors ({@code v1.LabelSelector{MatchLabels:...}}),
 * label maps ({@code map[string]string{"app":"web"}}) and IntOrString.
 */
public final class GoFormat {
  private GoFormat() {}

  /** A value printed as-is inside FieldError (already in Go syntax). */
  public record Raw(String text) {
    @Override
    public String toString() {
      return text;
    }
  }

  public static Raw labelMap(JsonNode map) {
    if (map == null || !map.isObject()) return new Raw("map[string]string(nil)");
    TreeMap<String, String> sorted = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
      var e = it.next();
      sorted.put(e.getKey(), e.getValue().asText());
    }
    List<String> parts = new ArrayList<>();
    sorted.forEach((k, v) -> parts.add(FieldError.quote(k) + ":" + FieldError.quote(v)));
    return new Raw("map[string]string{" + String.join(", ", parts) + "}");
  }

  public static Raw labelSelector(JsonNode sel) {
    StringBuilder b = new StringBuilder("v1.LabelSelector{MatchLabels:");
    b.append(labelMap(sel.get("matchLabels")).text());
    b.append(", MatchExpressions:");
    JsonNode exprs = sel.path("matchExpressions");
    if (exprs.size() == 0) {
      b.append("[]v1.LabelSelectorRequirement(nil)");
    } else {
      List<String> parts = new ArrayList<>();
      for (JsonNode x : exprs) {
        List<String> vals = new ArrayList<>();
        for (JsonNode v : x.path("values")) vals.add(FieldError.quote(v.asText()));
        parts.add("v1.LabelSelectorRequirement{Key:" + FieldError.quote(x.path("key").asText()) + ", Operator:"
            + FieldError.quote(x.path("operator").asText()) + ", Values:"
            + (vals.isEmpty() ? "[]string(nil)" : "[]string{" + String.join(", ", vals) + "}") + "}");
      }
      b.append("[]v1.LabelSelectorRequirement{").append(String.join(", ", parts)).append("}");
    }
    return new Raw(b.append("}").toString());
  }

  public static Raw intOrString(JsonNode v) {
    if (v.isTextual()) return new Raw("intstr.IntOrString{Type:1, IntVal:0, StrVal:" + FieldError.quote(v.asText()) + "}");
    return new Raw("intstr.IntOrString{Type:0, IntVal:" + v.asInt() + ", StrVal:\"\"}");
  }
}
