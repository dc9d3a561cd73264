package kubelab.apiserver.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import kubelab.apiserver.ApiServer;
import kubelab.apiserver.pki.CertKey;
import kubelab.apiserver.pki.Kubeconfig;
import kubelab.apiserver.pki.Pki;
import kubelab.apiserver.rest.PodStreams;
import kubelab.store.KvStore;

/**
 * A real API server for other modules' tests: TLS on 127.0.0.1 with a free port, over an embedded
 * store, with a fresh CA, an admin bearer token and a kubeconfig file.
 *
 * <pre>{@code
 *   try (TestApiServer api = TestApiServer.start()) {
 *     api.url();          // https://127.0.0.1:41234
 *     api.caPem();        // the CA to trust (PEM)
 *     api.sslContext();   // an SSLContext trusting it, for Java HTTP clients
 *     api.adminToken();   // Authorization: Bearer <token>, user "admin" in system:masters
 *     api.kubeconfig();   // a kubeconfig file for kubectl (KUBECONFIG=...) or Java clients
 *   }
 *   // more users, a fake clock, a kubelet for logs/exec:
 *   TestApiServer.builder().user("scheduler", "system:kube-scheduler").clock(clock).start();
 * }</pre>
 *
 * <p>Everything real: the same HTTP stack, TLS, authentication, RBAC, admission, validation and
 * watch as {@code lab cluster up}. The store is one embedded member (no Raft replication), which
 * is enough for API semantics; {@link #close()} stops the server, the store and deletes the
 * kubeconfig. Starting one takes well under a second.
 */
public final class TestApiServer implements AutoCloseable {
  private final ApiServer server;
  private final KvStore store;
  private final CertKey ca;
  private final String adminToken;
  private final Map<String, String> tokens;
  private final Path dir;

  private TestApiServer(ApiServer server, KvStore store, CertKey ca, String adminToken, Map<String, String> tokens,
      Path dir) {
    this.server = server;
    this.store = store;
    this.ca = ca;
    this.adminToken = adminToken;
    this.tokens = tokens;
    this.dir = dir;
  }

  /** An API server with the defaults: system clock, admin user only, no kubelets. */
  public static TestApiServer start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code https://127.0.0.1:PORT}. */
  public String url() {
    return server.url();
  }

  public int port() {
    return server.port();
  }

  /** The cluster CA certificate (PEM) that signed the serving certificate. */
  public String caPem() {
    return ca.certPem();
  }

  /** The CA certificate and key (tests may issue client certificates with {@link Pki#client}). */
  public CertKey ca() {
    return ca;
  }

  /** A bearer token for user "admin" in group system:masters (allowed everything). */
  public String adminToken() {
    return adminToken;
  }

  /** The bearer token of a user added with {@link Builder#user}. */
  public String tokenFor(String user) {
    String t = tokens.get(user);
    if (t == null) throw new IllegalArgumentException("no user " + user + " was added to this TestApiServer");
    return t;
  }

  /** A kubeconfig file for the admin user (written on first call, deleted by close). */
  public Path kubeconfig() {
    return kubeconfig("admin");
  }

  /** A kubeconfig file for a user added with {@link Builder#user} (or "admin"). */
  public Path kubeconfig(String user) {
    Path f = dir.resolve("kubeconfig-" + user);
    if (!Files.exists(f)) {
      String token = user.equals("admin") ? adminToken : tokenFor(user);
      try {
        Files.writeString(f, Kubeconfig.withToken("kubelab-test", url(), caPem(), user, token), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return f;
  }

  /** A TLS context that trusts the cluster CA, for Java HTTP clients. */
  public SSLContext sslContext() {
    try {
      KeyStore trust = Pki.trustStore(ca.cert());
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
      return ctx;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The store behind the server (tests may look at raw keys, e.g. /registry/pods/default/web). */
  public KvStore store() {
    return store;
  }

  public ApiServer server() {
    return server;
  }

  /** A directory for the test's files (deleted by close). */
  public Path directory() {
    return dir;
  }

  @Override
  public void close() {
    server.close();
    store.close();
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // best effort
    }
  }

  /** Options of a test server. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private final Map<String, List<String>> users = new LinkedHashMap<>();
    private PodStreams podStreams = PodStreams.NONE;
    private KvStore store;
    private boolean defaultAdmission = true;

    /** Adds a user with a bearer token (see {@link TestApiServer#tokenFor}); RBAC applies to it. */
    public Builder user(String name, String... groups) {
      users.put(name, List.of(groups));
      return this;
    }

    public Builder clock(Clock c) {
      this.clock = c;
      return this;
    }

    public Builder podStreams(PodStreams p) {
      this.podStreams = p;
      return this;
    }

    /** Use this store instead of a fresh embedded one (closed with the server). */
    public Builder store(KvStore s) {
      this.store = s;
      return this;
    }

    public Builder withoutDefaultAdmission() {
      this.defaultAdmission = false;
      return this;
    }

    public TestApiServer start() {
      KvStore kv = store != null ? store : new kubelab.store.LocalKvStore();
      try {
        CertKey ca = Pki.newCa("kubernetes", Pki.Algorithm.ECDSA_P256); // fast to make, per test
        CertKey serving = Pki.apiServer(ca, List.of());
        String admin = randomToken();
        ApiServer.Builder b = ApiServer.builder().store(kv).bind("127.0.0.1", 0).tls(ca, serving).clock(clock)
            .podStreams(podStreams).token(admin, "admin", List.of("system:masters"));
        Map<String, String> tokens = new LinkedHashMap<>();
        for (var u : users.entrySet()) {
          String t = randomToken();
          tokens.put(u.getKey(), t);
          b.token(t, u.getKey(), u.getValue());
        }
        if (!defaultAdmission) b.withoutDefaultAdmission();
        ApiServer server = b.build().start();
        Path dir = Files.createTempDirectory("kubelab-apiserver-test");
        return new TestApiServer(server, kv, ca, admin, tokens, dir);
      } catch (Exception e) {
        kv.close();
        throw new IllegalStateException("cannot start the test API server: " + e, e);
      }
    }

    private static String randomToken() {
      byte[] b = new byte[16];
      new SecureRandom().nextBytes(b);
      return HexFormat.of().formatHex(b);
    }
  }
}
