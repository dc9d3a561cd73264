package kubelab.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import kubelab.api.Json;

/**
 * Merges the cluster's admin kubeconfig into the user's kubeconfig (KUBECONFIG's first file, or
 * ~/.kube/config) and makes its context current, as {@code kind create cluster} does; removes it
 * again on {@code lab cluster down}. Entries of other clusters are left as they were.
 */
public final class KubeconfigMerge {
  private KubeconfigMerge() {}

  /** The file kubectl reads: the first entry of KUBECONFIG, else ~/.kube/config. */
  public static Path userKubeconfig() {
    String env = System.getenv("KUBECONFIG");
    if (env != null && !env.isBlank()) return Path.of(env.split(":")[0]);
    return Path.of(System.getProperty("user.home"), ".kube", "config");
  }

  /** Adds or replaces the entries named in {@code source} (a one-cluster kubeconfig) in {@code target}. */
  public static void merge(Path source, Path target) throws IOException {
    JsonNode src = Json.YAML.readTree(Files.readString(source));
    ObjectNode dst = read(target);
    for (String list : new String[] {"clusters", "users", "contexts"}) {
      ArrayNode out = dst.has(list) && dst.get(list).isArray() ? (ArrayNode) dst.get(list) : dst.putArray(list);
      for (JsonNode e : src.path(list)) {
        String name = e.path("name").asText();
        for (int i = out.size() - 1; i >= 0; i--) if (name.equals(out.get(i).path("name").asText())) out.remove(i);
        out.add(e.deepCopy());
      }
    }
    dst.put("current-context", src.path("current-context").asText());
    write(target, dst);
  }

  /** Removes the entries named in {@code source} from {@code target}; unsets current-context if it was one. */
  public static void remove(Path source, Path target) throws IOException {
    if (!Files.exists(target) || !Files.exists(source)) return;
    JsonNode src = Json.YAML.readTree(Files.readString(source));
    ObjectNode dst = read(target);
    for (String list : new String[] {"clusters", "users", "contexts"}) {
      if (!(dst.get(list) instanceof ArrayNode out)) continue;
      for (JsonNode e : src.path(list)) {
        String name = e.path("name").asText();
        for (int i = out.size() - 1; i >= 0; i--) if (name.equals(out.get(i).path("name").asText())) out.remove(i);
      }
    }
    if (src.path("current-context").asText().equals(dst.path("current-context").asText())) dst.put("current-context", "");
    write(target, dst);
  }

  private static ObjectNode read(Path target) throws IOException {
    if (!Files.exists(target) || Files.size(target) == 0) {
      ObjectNode n = Json.MAPPER.createObjectNode();
      n.put("apiVersion", "v1");
      n.put("kind", "Config");
      n.putObject("preferences");
      return n;
    }
    JsonNode n = Json.YAML.readTree(Files.readString(target));
    if (!(n instanceof ObjectNode o)) throw new IOException(target + " is not a kubeconfig");
    return o;
  }

  private static void write(Path target, ObjectNode n) throws IOException {
    Files.createDirectories(target.toAbsolutePath().getParent());
    Files.writeString(target, Json.YAML.writeValueAsString(n), StandardCharsets.UTF_8);
    try {
      Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // not POSIX
    }
  }
}
