package kubelab.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON merge patch (RFC 7386, {@code application/merge-patch+json}): objects merge key by key,
 * {@code null} deletes a key, and every other value (lists included) replaces what was there.
 * Returns a new tree; the inputs are not changed.
 */
public final class JsonMergePatch {
  private JsonMergePatch() {}

  public static JsonNode apply(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) return patch.deepCopy();
    ObjectNode out = target != null && target.isObject()
        ? ((ObjectNode) target).deepCopy()
        : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      var e = it.next();
      if (e.getValue().isNull()) {
        out.remove(e.getKey());
      } else {
        out.set(e.getKey(), apply(out.get(e.getKey()), e.getValue()));
      }
    }
    return out;
  }
}
