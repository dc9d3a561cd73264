package kubelab.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Predicate;
import kubelab.api.registry.ResourceType;
import kubelab.api.selector.FieldLabels;
import kubelab.api.selector.FieldSelector;
import kubelab.api.selector.LabelSelectorString;
import kubelab.apiserver.ApiError;
import kubelab.apiserver.http.ApiRequest;

/**
 * The labelSelector and fieldSelector of a list or watch, parsed and checked against what the
 * resource supports, as one predicate over objects.
 */
public record Selectors(LabelSelectorString labels, FieldSelector fields, Map<String, String> aliases) {

  /** @throws ApiError 400 for a malformed selector or an unsupported field */
  public static Selectors of(ApiRequest r, ResourceType t) {
    LabelSelectorString l;
    FieldSelector f;
    try {
      l = LabelSelectorString.parse(r.param("labelSelector"));
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest("unable to parse requirement: " + e.getMessage());
    }
    try {
      f = FieldSelector.parse(r.param("fieldSelector"));
      f.validate(FieldLabels.supported(t.plural(), t.namespaced()));
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(e.getMessage());
    }
    return new Selectors(l, f, FieldLabels.aliases(t.plural()));
  }

  public boolean everything() {
    return labels.isEmpty() && fields.isEmpty();
  }

  public boolean matches(JsonNode obj) {
    if (!labels.isEmpty() && !labels.matches(labelsOf(obj))) return false;
    return fields.isEmpty() || fields.matches(obj, aliases);
  }

  public Predicate<ObjectNode> predicate() {
    return everything() ? null : this::matches;
  }

  static Map<String, String> labelsOf(JsonNode obj) {
    JsonNode l = obj.path("metadata").path("labels");
    if (!l.isObject()) return Map.of();
    Map<String, String> m = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = l.fields(); it.hasNext(); ) {
      var e = it.next();
      m.put(e.getKey(), e.getValue().asText());
    }
    return m;
  }
}
