package kubelab.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kubelab.api.Json;

/**
 * A kubeconfig file: the subset kubectl uses to reach a cluster (clientcmd's {@code Config}, v1).
 *
 * <pre>
 * clusters: [{name, cluster: {server, certificate-authority(-data), insecure-skip-tls-verify}}]
 * users:    [{name, user: {token, tokenFile, client-certificate(-data), client-key(-data),
 *                          username, password}}]
 * contexts: [{name, context: {cluster, user, namespace}}]
 * current-context: NAME
 * </pre>
 *
 * <p>File paths inside are relative to the kubeconfig's own directory, as clientcmd resolves them.
 * Several files (the {@code KUBECONFIG} list) merge as kubectl merges them: for each named
 * cluster, user and context the first file that defines it wins, and so does the first
 * {@code current-context}. Credential plugins ({@code exec}, {@code auth-provider}) are not
 * supported and fail with a message saying so. Immutable once loaded.
 */
public final class KubeConfig {
  /** One named cluster, user or context: its fields as they came, and the directory they are relative to. */
  private record Entry(JsonNode body, Path baseDir) {}

  private final Map<String, Entry> clusters = new LinkedHashMap<>();
  private final Map<String, Entry> users = new LinkedHashMap<>();
  private final Map<String, Entry> contexts = new LinkedHashMap<>();
  private String currentContext;

  private KubeConfig() {}

  /** Loads and merges the given files (missing files are skipped, as kubectl skips them). */
  public static KubeConfig load(Path... files) {
    KubeConfig c = new KubeConfig();
    boolean any = false;
    for (Path f : files) {
      if (!Files.exists(f)) continue;
      try {
        c.merge(Files.readString(f), f.toAbsolutePath().getParent());
        any = true;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read kubeconfig " + f + ": " + e.getMessage(), e);
      }
    }
    if (!any) throw new IllegalArgumentException("no kubeconfig found at " + List.of(files));
    return c;
  }

  /** The files kubectl would read: {@code $KUBECONFIG} (colon-separated) or {@code ~/.kube/config}. */
  public static KubeConfig fromEnvironment() {
    String env = System.getenv("KUBECONFIG");
    List<Path> files = new ArrayList<>();
    if (env != null && !env.isBlank()) {
      for (String p : env.split(java.io.File.pathSeparator)) if (!p.isBlank()) files.add(Path.of(p));
    } else {
      files.add(Path.of(System.getProperty("user.home"), ".kube", "config"));
    }
    return load(files.toArray(new Path[0]));
  }

  /** Parses one kubeconfig document; relative paths resolve against {@code baseDir}. */
  public static KubeConfig parse(String yaml, Path baseDir) {
    KubeConfig c = new KubeConfig();
    c.merge(yaml, baseDir);
    return c;
  }

  private void merge(String yaml, Path baseDir) {
    JsonNode root;
    try {
      root = Json.YAML.readTree(yaml);
    } catch (IOException e) {
      throw new IllegalArgumentException("kubeconfig is not valid YAML: " + e.getMessage(), e);
    }
    if (root == null || root.isMissingNode() || root.isNull()) return;
    collect(root.path("clusters"), "cluster", clusters, baseDir);
    collect(root.path("users"), "user", users, baseDir);
    collect(root.path("contexts"), "context", contexts, baseDir);
    String cc = root.path("current-context").asText("");
    if (currentContext == null && !cc.isEmpty()) currentContext = cc;
  }

  private static void collect(JsonNode list, String field, Map<String, Entry> into, Path baseDir) {
    for (JsonNode item : list) {
      String name = item.path("name").asText("");
      if (!name.isEmpty() && !into.containsKey(name)) into.put(name, new Entry(item.path(field), baseDir));
    }
  }

  public String currentContext() {
    return currentContext;
  }

  public List<String> contextNames() {
    return List.copyOf(contexts.keySet());
  }

  /** The server URL of a context's cluster ({@code null} context: the current one). */
  public String server(String context) {
    Entry ctx = context(context);
    return cluster(ctx).body.path("server").asText();
  }

  /**
   * The {@link ClientConfig} for {@code context} (or the current context if null): server, trust,
   * credentials and default namespace. Reads the files it references now.
   */
  public ClientConfig clientConfig(String context) {
    Entry ctx = context(context);
    Entry cl = cluster(ctx);
    String server = cl.body.path("server").asText("");
    if (server.isEmpty()) throw new IllegalArgumentException("cluster has no server in kubeconfig");
    ClientConfig.Builder b = ClientConfig.builder(server);
    String ns = ctx.body.path("namespace").asText("");
    b.namespace(ns.isEmpty() ? "default" : ns);
    b.insecureSkipTlsVerify(cl.body.path("insecure-skip-tls-verify").asBoolean(false));
    String ca = pem(cl, "certificate-authority-data", "certificate-authority");
    if (ca != null) b.caPem(ca);

    String userName = ctx.body.path("user").asText("");
    Entry user = userName.isEmpty() ? null : users.get(userName);
    if (!userName.isEmpty() && user == null) {
      throw new IllegalArgumentException("kubeconfig user \"" + userName + "\" not found");
    }
    if (user != null) {
      JsonNode u = user.body;
      if (u.has("exec") || u.has("auth-provider")) {
        throw new IllegalArgumentException("kubeconfig user \"" + userName
            + "\" uses a credential plugin (exec/auth-provider), which kubelab's client does not run:"
            + " use a token or a client certificate");
      }
      String cert = pem(user, "client-certificate-data", "client-certificate");
      String key = pem(user, "client-key-data", "client-key");
      if (cert != null && key != null) b.clientCertificatePem(cert, key);
      else if (cert != null || key != null) {
        throw new IllegalArgumentException("kubeconfig user \"" + userName + "\" has a client certificate without its key or a key without its certificate");
      }
      String token = u.path("token").asText("");
      if (token.isEmpty() && u.hasNonNull("tokenFile")) {
        token = read(user.baseDir, u.get("tokenFile").asText()).trim();
      }
      if (!token.isEmpty()) b.bearerToken(token);
      if (u.hasNonNull("username")) b.basicAuth(u.get("username").asText(), u.path("password").asText(""));
    }
    return b.build();
  }

  /** The context's default namespace, "default" if unset. */
  public String namespace(String context) {
    String ns = context(context).body.path("namespace").asText("");
    return ns.isEmpty() ? "default" : ns;
  }

  private Entry context(String name) {
    String n = name != null ? name : currentContext;
    if (n == null) throw new IllegalArgumentException("kubeconfig has no current-context; name a context");
    Entry e = contexts.get(n);
    if (e == null) throw new IllegalArgumentException("context \"" + n + "\" not found in kubeconfig");
    return e;
  }

  private Entry cluster(Entry ctx) {
    String n = ctx.body.path("cluster").asText("");
    Entry e = clusters.get(n);
    if (e == null) throw new IllegalArgumentException("cluster \"" + n + "\" not found in kubeconfig");
    return e;
  }

  /** Inline base64 data wins over a file path, as in clientcmd. */
  private static String pem(Entry e, String dataField, String fileField) {
    String data = e.body.path(dataField).asText("");
    if (!data.isEmpty()) {
      return new String(Base64.getMimeDecoder().decode(data), StandardCharsets.UTF_8);
    }
    String file = e.body.path(fileField).asText("");
    return file.isEmpty() ? null : read(e.baseDir, file);
  }

  private static String read(Path baseDir, String file) {
    Path p = Path.of(file);
    if (!p.isAbsolute() && baseDir != null) p = baseDir.resolve(p);
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p + " named in kubeconfig: " + e.getMessage(), e);
    }
  }
}
