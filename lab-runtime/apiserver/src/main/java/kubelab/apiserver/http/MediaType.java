package kubelab.apiserver.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One entry of an Accept header: {@code application/json;as=Table;v=v1;g=meta.k8s.io}.
 *
 * <p>Kubernetes clients ask for alternative representations through media type parameters:
 * {@code as=Table} (server-side printing for kubectl get), {@code as=PartialObjectMetadata},
 * {@code as=APIGroupDiscoveryList} (aggregated discovery). {@link #parseAccept} keeps the
 * client's order, which is its preference order (q=0 entries are dropped).
 */
public record MediaType(String type, String subtype, Map<String, String> params) {

  public static final String JSON = "application/json";
  public static final String YAML = "application/yaml";
  public static final String PROTOBUF = "application/vnd.kubernetes.protobuf";

  public String mime() {
    return type + "/" + subtype;
  }

  public String param(String name) {
    return params.get(name);
  }

  /** The representation asked for with {@code as=}, or null for the object itself. */
  public String as() {
    return params.get("as");
  }

  public boolean matches(String mime) {
    String[] p = mime.split("/");
    return (type.equals("*") || type.equals(p[0])) && (subtype.equals("*") || subtype.equals(p[1]));
  }

  public static List<MediaType> parseAccept(String header) {
    List<MediaType> out = new ArrayList<>();
    if (header == null || header.isBlank()) {
      out.add(new MediaType("*", "*", Map.of()));
      return out;
    }
    for (String part : header.split(",")) {
      MediaType m = parse(part);
      if (m == null) continue;
      String q = m.params.get("q");
      if (q != null) {
        try {
          if (Double.parseDouble(q) <= 0) continue;
        } catch (NumberFormatException e) {
          continue;
        }
      }
      out.add(m);
    }
    return out;
  }

  public static MediaType parse(String s) {
    String[] pieces = s.trim().split(";");
    String mime = pieces[0].trim().toLowerCase();
    int slash = mime.indexOf('/');
    if (slash <= 0 || slash == mime.length() - 1) return null;
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 1; i < pieces.length; i++) {
      String p = pieces[i].trim();
      int eq = p.indexOf('=');
      if (eq <= 0) continue;
      params.put(p.substring(0, eq).trim().toLowerCase(), p.substring(eq + 1).trim().replace("\"", ""));
    }
    return new MediaType(mime.substring(0, slash), mime.substring(slash + 1), params);
  }
}
