package kubelab.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON patch (RFC 6902, {@code application/json-patch+json}): a list of add, remove, replace,
 * move, copy and test operations on JSON pointers (RFC 6901), applied in order; the first failure
 * aborts the whole patch. Messages follow evanphx/json-patch, which kube-apiserver uses.
 * Returns a new tree; the inputs are not changed.
 */
public final class JsonPatch {
  private JsonPatch() {}

  public static JsonNode apply(JsonNode doc, JsonNode ops) {
    if (!ops.isArray()) {
      throw new PatchException("json: cannot unmarshal object into Go value of type jsonpatch.Patch", true);
    }
    JsonNode out = doc.deepCopy();
    for (JsonNode op : ops) {
      if (!op.isObject()) throw new PatchException("json: cannot unmarshal " + kind(op) + " into Go value of type jsonpatch.Operation", true);
      String kind = op.path("op").asText("");
      String path = op.path("path").asText(null);
      switch (kind) {
        case "add" -> out = add(out, path, value(op));
        case "remove" -> out = remove(out, path, true);
        case "replace" -> {
          get(out, path, "replace operation does not apply: doc is missing key: " + path);
          out = remove(out, path, false);
          out = add(out, path, value(op));
        }
        case "move" -> {
          String from = op.path("from").asText(null);
          JsonNode v = get(out, from, "move operation does not apply: doc is missing from path: " + from);
          out = remove(out, from, false);
          out = add(out, path, v.deepCopy());
        }
        case "copy" -> {
          String from = op.path("from").asText(null);
          JsonNode v = get(out, from, "copy operation does not apply: doc is missing from path: " + from);
          out = add(out, path, v.deepCopy());
        }
        case "test" -> {
          JsonNode v = get(out, path, "testing value " + path + " failed: test failed");
          if (!v.equals(value(op))) throw new PatchException("testing value " + path + " failed: test failed", false);
        }
        default -> throw new PatchException("Unexpected kind: " + kind, true);
      }
    }
    return out;
  }

  private static String kind(JsonNode n) {
    if (n.isTextual()) return "string";
    if (n.isNumber()) return "number";
    if (n.isArray()) return "array";
    if (n.isBoolean()) return "bool";
    return "object";
  }

  private static JsonNode value(JsonNode op) {
    if (!op.has("value")) throw new PatchException("missing value", true);
    return op.get("value").deepCopy();
  }

  private static String[] tokens(String path) {
    if (path == null) throw new PatchException("missing path", true);
    if (path.isEmpty()) return new String[0];
    if (!path.startsWith("/")) throw new PatchException("JSON pointer must be empty or start with a \"/\": " + path, true);
    String[] t = path.substring(1).split("/", -1);
    for (int i = 0; i < t.length; i++) t[i] = t[i].replace("~1", "/").replace("~0", "~");
    return t;
  }

  private static JsonNode get(JsonNode doc, String path, String missing) {
    JsonNode n = doc;
    for (String t : tokens(path)) {
      if (n.isObject()) {
        n = n.get(t);
      } else if (n.isArray()) {
        int i = index(t, n.size() - 1);
        n = i < 0 ? null : n.get(i);
      } else {
        n = null;
      }
      if (n == null) throw new PatchException(missing, false);
    }
    return n;
  }

  private static int index(String t, int max) {
    try {
      int i = Integer.parseInt(t);
      return i < 0 || i > max ? -1 : i;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static JsonNode add(JsonNode doc, String path, JsonNode value) {
    String[] t = tokens(path);
    if (t.length == 0) return value;
    JsonNode parent = parent(doc, t, "add operation does not apply: doc is missing path: \"" + path + "\": missing value");
    String last = t[t.length - 1];
    if (parent instanceof ObjectNode o) {
      o.set(last, value);
    } else if (parent instanceof ArrayNode a) {
      if (last.equals("-")) {
        a.add(value);
      } else {
        int i = index(last, a.size());
        if (i < 0) throw new PatchException("add operation does not apply: index out of bounds: " + last, false);
        a.insert(i, value);
      }
    } else {
      throw new PatchException("add operation does not apply: doc is missing path: \"" + path + "\": missing value", false);
    }
    return doc;
  }

  private static JsonNode remove(JsonNode doc, String path, boolean reportAsRemove) {
    String[] t = tokens(path);
    String missing = "remove operation does not apply: doc is missing path: \"" + path + "\": missing value";
    if (t.length == 0) throw new PatchException(missing, false);
    JsonNode parent = parent(doc, t, missing);
    String last = t[t.length - 1];
    if (parent instanceof ObjectNode o) {
      if (!o.has(last)) throw new PatchException(missing, false);
      o.remove(last);
    } else if (parent instanceof ArrayNode a) {
      int i = index(last, a.size() - 1);
      if (i < 0) throw new PatchException("remove operation does not apply: index out of bounds: " + last, false);
      a.remove(i);
    } else {
      throw new PatchException(missing, false);
    }
    return doc;
  }

  private static JsonNode parent(JsonNode doc, String[] t, String missing) {
    JsonNode n = doc;
    for (int i = 0; i < t.length - 1; i++) {
      if (n.isObject()) n = n.get(t[i]);
      else if (n.isArray()) {
        int idx = index(t[i], n.size() - 1);
        n = idx < 0 ? null : n.get(idx);
      } else n = null;
      if (n == null) throw new PatchException(missing, false);
    }
    return n;
  }
}
