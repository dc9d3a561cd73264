package kubelab.apiserver.rest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import kubelab.api.schema.ProtobufDecoder;
import kubelab.api.schema.SchemaCatalog;
import kubelab.apiserver.ApiError;

/**
 * Turns a request body into a JSON tree: JSON (the default), YAML ({@code application/yaml}) or
 * Kubernetes protobuf (what kubectl's typed clients send, see {@link ProtobufDecoder}), with
 * duplicate-field detection for strict field validation.
 *
 * <p>Failures are 400 BadRequest worded like kube-apiserver's decoder ({@code couldn't get
 * version/kind; json parse error: ...}). Numbers keep their JSON form (integers stay integers).
 * Thread-safe.
 */
public final class BodyDecoder {
  private BodyDecoder() {}

  private static final ObjectMapper STRICT_JSON = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();
  private static final ObjectMapper LENIENT_JSON = JsonMapper.builder().build();
  private static final ObjectMapper STRICT_YAML = YAMLMapper.builder(new YAMLFactory())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
  private static final ObjectMapper LENIENT_YAML = YAMLMapper.builder(new YAMLFactory()).build();

  /** A decoded body and the fields it repeated (for strict field validation). */
  public record Decoded(JsonNode tree, List<String> duplicates) {
    public ObjectNode object() {
      if (!(tree instanceof ObjectNode o)) {
        throw ApiError.badRequest("couldn't get version/kind; json parse error: json: cannot unmarshal "
            + goKind(tree) + " into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; "
            + "Kind string \"json:\\\"kind,omitempty\\\"\" }");
      }
      return o;
    }
  }

  /** Decodes a body of the given media type (null or unknown means JSON). */
  public static Decoded decode(byte[] body, String contentType) {
    if (ProtobufDecoder.MEDIA_TYPE.equals(contentType) || ProtobufDecoder.hasMagic(body)) {
      try {
        return new Decoded(ProtobufDecoder.decode(body, SchemaCatalog.builtin()), List.of());
      } catch (ProtobufDecoder.ProtobufException e) {
        throw ApiError.badRequest(e.getMessage());
      }
    }
    boolean yaml = contentType != null && (contentType.endsWith("yaml") || contentType.endsWith("yml"));
    if (body.length == 0 || isBlank(body)) {
      throw ApiError.badRequest("Object 'Kind' is missing in '" + new String(body) + "'");
    }
    ObjectMapper strict = yaml ? STRICT_YAML : STRICT_JSON;
    ObjectMapper lenient = yaml ? LENIENT_YAML : LENIENT_JSON;
    try {
      JsonNode n = strict.readTree(body);
      if (n == null || n.isMissingNode()) throw ApiError.badRequest("Object 'Kind' is missing in ''");
      return new Decoded(n, List.of());
    } catch (JsonParseException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("Duplicate field")) {
        try {
          JsonNode n = lenient.readTree(body);
          List<String> dups = new ArrayList<>();
          dups.add(duplicateName(e));
          return new Decoded(n, dups);
        } catch (IOException e2) {
          throw parseError(e2, yaml);
        }
      }
      throw parseError(e, yaml);
    } catch (IOException e) {
      throw parseError(e, yaml);
    }
  }

  private static String duplicateName(JsonParseException e) {
    String m = e.getOriginalMessage();
    int a = m.indexOf('\'');
    int b = m.indexOf('\'', a + 1);
    return a >= 0 && b > a ? m.substring(a + 1, b) : m;
  }

  private static boolean isBlank(byte[] b) {
    for (byte x : b) if (!Character.isWhitespace(x)) return false;
    return true;
  }

  private static ApiError parseError(IOException e, boolean yaml) {
    String msg = e instanceof com.fasterxml.jackson.core.JacksonException je ? je.getOriginalMessage() : e.getMessage();
    if (msg != null) msg = msg.split("\n")[0];
    if (yaml) return ApiError.badRequest("error converting YAML to JSON: yaml: " + msg);
    return ApiError.badRequest("couldn't get version/kind; json parse error: " + msg);
  }

  /** How Go's encoding/json names a JSON value's kind in "cannot unmarshal X into ...". */
  public static String goKind(JsonNode n) {
    if (n == null || n.isNull()) return "null";
    if (n.isTextual()) return "string";
    if (n.isNumber()) return "number";
    if (n.isBoolean()) return "bool";
    if (n.isArray()) return "array";
    return "object";
  }

}
