package kubelab.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import kubelab.api.schema.Field;
import kubelab.api.schema.Schema;

/**
 * Strategic merge patch ({@code application/strategic-merge-patch+json}), the patch kubectl
 * apply, edit and patch send by default for built-in kinds (k8s.io/apimachinery strategicpatch,
 * Kubernetes 1.32 semantics).
 *
 * <p>Like a JSON merge patch, except where the schema says a list merges: containers by
 * {@code name}, container ports by {@code containerPort}, env by {@code name}, volumes by
 * {@code name}, volumeMounts by {@code mountPath}, conditions by {@code type}, ... Those lists are
 * merged element by element using the merge key, instead of being replaced. Directives:
 * <ul>
 *   <li>{@code $patch: replace|delete|merge} on a map or list element;
 *   <li>{@code $retainKeys: [...]} keeps only the listed keys of a map (volumes, strategy);
 *   <li>{@code $setElementOrder/FIELD: [...]} the order of a merged list after the patch;
 *   <li>{@code $deleteFromPrimitiveList/FIELD: [...]} values removed from a merged list of scalars.
 * </ul>
 * Returns a new tree; the inputs are not changed. Stateless, thread-safe.
 */
public final class StrategicMergePatch {
  private StrategicMergePatch() {}

  private static final String PATCH = "$patch";
  private static final String RETAIN = "$retainKeys";
  private static final String ORDER = "$setElementOrder/";
  private static final String DELETE_PRIMITIVE = "$deleteFromPrimitiveList/";

  /** Applies {@code patch} to {@code original}, whose type is {@code schema} (null: no merge keys known). */
  public static JsonNode apply(JsonNode original, JsonNode patch, Schema schema) {
    if (!patch.isObject()) throw new PatchException("json: cannot unmarshal " + (patch.isArray() ? "array" : "value")
        + " into Go value of type map[string]interface {}", true);
    ObjectNode base = original != null && original.isObject() ? ((ObjectNode) original).deepCopy()
        : JsonNodeFactory.instance.objectNode();
    return mergeMap(base, (ObjectNode) patch, schema);
  }

  private static ObjectNode mergeMap(ObjectNode original, ObjectNode patch, Schema schema) {
    JsonNode directive = patch.get(PATCH);
    if (directive != null) {
      String d = directive.asText();
      switch (d) {
        case "replace" -> {
          ObjectNode copy = patch.deepCopy();
          copy.remove(PATCH);
          return strip(copy);
        }
        case "delete" -> {
          return JsonNodeFactory.instance.objectNode();
        }
        case "merge" -> { }
        default -> throw new PatchException("Unknown patch type: " + d + " in map: " + patch, true);
      }
    }
    JsonNode retain = patch.get(RETAIN);
    if (retain != null) {
      if (!retain.isArray()) throw new PatchException("invalid patch: the value of $retainKeys must be a list", true);
      List<String> keep = new ArrayList<>();
      for (JsonNode k : retain) keep.add(k.asText());
      for (Iterator<String> it = patch.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!k.startsWith("$") && !keep.contains(k) && !patch.get(k).isNull()) {
          throw new PatchException("RetainKeys: " + keep + " doesn't contain all the keys in patch: " + k, true);
        }
      }
      for (Iterator<String> it = original.fieldNames(); it.hasNext(); ) {
        if (!keep.contains(it.next())) it.remove();
      }
    }
    Map<String, JsonNode> orders = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      var e = it.next();
      String k = e.getKey();
      JsonNode pv = e.getValue();
      if (k.equals(PATCH) || k.equals(RETAIN)) continue;
      if (k.startsWith(ORDER)) {
        orders.put(k.substring(ORDER.length()), pv);
        continue;
      }
      if (k.startsWith(DELETE_PRIMITIVE)) {
        String field = k.substring(DELETE_PRIMITIVE.length());
        JsonNode cur = original.get(field);
        if (cur != null && cur.isArray() && pv.isArray()) {
          ArrayNode kept = JsonNodeFactory.instance.arrayNode();
          for (JsonNode x : cur) if (!contains(pv, x)) kept.add(x);
          original.set(field, kept);
        }
        continue;
      }
      if (pv.isNull()) {
        original.remove(k);
        continue;
      }
      Field f = field(schema, k);
      Schema fs = f != null ? f.schema() : childSchema(schema);
      JsonNode ov = original.get(k);
      if (ov == null || ov.isNull()) {
        if (pv.isObject() && isDeleteDirective(pv)) continue;
        original.set(k, strip(pv.deepCopy()));
        continue;
      }
      if (pv.isObject() && ov.isObject()) {
        original.set(k, mergeMap((ObjectNode) ov, (ObjectNode) pv, fs));
      } else if (pv.isArray() && ov.isArray() && f != null && f.mergeList()) {
        original.set(k, mergeList((ArrayNode) ov, (ArrayNode) pv, f));
      } else {
        original.set(k, strip(pv.deepCopy()));
      }
    }
    for (var e : orders.entrySet()) {
      JsonNode list = original.get(e.getKey());
      if (list != null && list.isArray()) {
        Field f = field(schema, e.getKey());
        original.set(e.getKey(), reorder((ArrayNode) list, e.getValue(), f == null ? "" : f.mergeKey()));
      }
    }
    return original;
  }

  private static boolean isDeleteDirective(JsonNode n) {
    return "delete".equals(n.path(PATCH).asText(null));
  }

  /** The schema of a field of an object type, or of a map's values. */
  private static Field field(Schema s, String name) {
    if (s == null || s.type() != Schema.Type.OBJECT) return null;
    return s.field(name);
  }

  private static Schema childSchema(Schema s) {
    if (s != null && s.type() == Schema.Type.MAP) return s.element();
    return null;
  }

  private static ArrayNode mergeList(ArrayNode original, ArrayNode patch, Field f) {
    String key = f.mergeKey();
    Schema elem = f.schema().element();
    for (JsonNode p : patch) {
      if (p.isObject() && "replace".equals(p.path(PATCH).asText(null))) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (JsonNode q : patch) {
          if (q.isObject() && q.has(PATCH)) continue;
          out.add(strip(q.deepCopy()));
        }
        return out;
      }
    }
    ArrayNode out = original.deepCopy();
    if (key.isEmpty()) { // a set of scalars: union, keeping order
      for (JsonNode p : patch) if (!contains(out, p)) out.add(p.deepCopy());
      return out;
    }
    for (JsonNode p : patch) {
      if (!p.isObject()) {
        throw new PatchException("invalid patch: element of list " + f.name() + " is not an object: " + p, true);
      }
      JsonNode kv = p.get(key);
      String directive = p.path(PATCH).asText(null);
      if (kv == null) {
        throw new PatchException("map: " + p + " does not contain declared merge key: " + key, true);
      }
      int idx = indexOf(out, key, kv);
      if ("delete".equals(directive)) {
        while (idx >= 0) {
          out.remove(idx);
          idx = indexOf(out, key, kv);
        }
        continue;
      }
      if (idx >= 0) {
        out.set(idx, mergeMap((ObjectNode) out.get(idx), (ObjectNode) p, elem));
      } else {
        out.add(strip(p.deepCopy()));
      }
    }
    return out;
  }

  private static int indexOf(ArrayNode list, String key, JsonNode value) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).isObject() && value.equals(list.get(i).get(key))) return i;
    }
    return -1;
  }

  private static boolean contains(JsonNode list, JsonNode v) {
    for (JsonNode x : list) if (x.equals(v)) return true;
    return false;
  }

  /** Items named by the order list first, in that order; then the others as they were. */
  private static ArrayNode reorder(ArrayNode list, JsonNode order, String key) {
    if (!order.isArray()) return list;
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    List<JsonNode> rest = new ArrayList<>();
    list.forEach(rest::add);
    for (JsonNode o : order) {
      for (Iterator<JsonNode> it = rest.iterator(); it.hasNext(); ) {
        JsonNode x = it.next();
        boolean match = key.isEmpty() ? x.equals(o) : x.isObject() && o.isObject() && x.path(key).equals(o.path(key));
        if (match) {
          out.add(x);
          it.remove();
          break;
        }
      }
    }
    rest.forEach(out::add);
    return out;
  }

  /** Removes directives from a value that is stored as it is (it had nothing to merge with). */
  private static <T extends JsonNode> T strip(T n) {
    if (n instanceof ObjectNode o) {
      for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (k.equals(PATCH) || k.equals(RETAIN) || k.startsWith(ORDER) || k.startsWith(DELETE_PRIMITIVE)) it.remove();
      }
      o.forEach(StrategicMergePatch::strip);
    } else if (n instanceof ArrayNode a) {
      for (int i = a.size() - 1; i >= 0; i--) {
        JsonNode x = a.get(i);
        if (x.isObject() && "delete".equals(x.path(PATCH).asText(null))) a.remove(i);
        else strip(x);
      }
    }
    return n;
  }
}
