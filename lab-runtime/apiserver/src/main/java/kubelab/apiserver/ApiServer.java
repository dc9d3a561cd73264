package kubelab.apiserver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import kubelab.api.registry.ResourceType;
import kubelab.api.registry.Resources;
import kubelab.api.schema.SchemaCatalog;
import kubelab.apiserver.admission.Admission;
import kubelab.apiserver.admission.AdmissionPlugin;
import kubelab.apiserver.auth.Authenticator;
import kubelab.apiserver.auth.Rbac;
import kubelab.apiserver.auth.ReviewApis;
import kubelab.apiserver.discovery.Discovery;
import kubelab.apiserver.http.JettyAdapter;
import kubelab.apiserver.openapi.OpenApi;
import kubelab.apiserver.pki.CertKey;
import kubelab.apiserver.pki.Pki;
import kubelab.apiserver.registry.ObjectStore;
import kubelab.apiserver.registry.Strategy;
import kubelab.apiserver.rest.PodStreams;
import kubelab.apiserver.rest.ResourceRouter;
import kubelab.apiserver.rest.RestContext;
import kubelab.store.KvStore;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * KubeLab's Kubernetes-compatible API server: the real {@code kubectl} and Kubernetes client
 * libraries work against it unchanged. It is the only component that talks to the store.
 *
 * <p>Build one with {@link #builder()}, give it a {@link KvStore}, and {@link #start()} it:
 * <pre>{@code
 *   ApiServer api = ApiServer.builder()
 *       .store(kv)                       // required
 *       .bind("127.0.0.1", 0)            // 0: any free port (tests); default 6443
 *       .tls(ca, serving)                // PKI; without it the server speaks plain HTTP
 *       .token("secret", "admin", List.of("system:masters"))
 *       .build().start();
 *   api.url();                           // https://127.0.0.1:PORT
 *   api.close();
 * }</pre>
 * For tests there is {@link kubelab.apiserver.testing.TestApiServer}, which does all of this over
 * an embedded store and hands out a URL, a CA bundle, an admin token and a kubeconfig.
 *
 * <p>HTTP layer: Jetty 12 (core handlers, no servlets): TLS with optional client certificates,
 * HTTP/1.1 chunked responses for watches, and WebSocket upgrades for exec/attach/port-forward.
 * Threading: requests run on Jetty's pool; a watch holds one thread while it streams.
 */
public final class ApiServer implements AutoCloseable {
  private final Builder b;
  private Server server;
  private ServerConnector connector;
  private SslContextFactory.Server ssl;
  private Rbac rbac;
  private RestContext rest;
  private kubelab.apiserver.controllers.NamespaceController namespaceController;

  private ApiServer(Builder b) {
    this.b = b;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Jetty is chatty at INFO ("Started Server@..."); keep its warnings (a strong reference: JUL loggers are weak). */
  private static final java.util.logging.Logger JETTY_LOG = java.util.logging.Logger.getLogger("org.eclipse.jetty");

  static {
    JETTY_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  /** Bootstraps the default objects, then starts serving. Returns this. */
  public ApiServer start() throws Exception {
    ObjectStore store = new ObjectStore(b.store);
    Resources resources = Resources.builtin();
    rbac = new Rbac(b.store);
    Authenticator authn = new Authenticator(b.anonymous);
    for (var t : b.tokens) authn.addToken(t.token, t.user, t.groups);
    for (Authenticator.TokenVerifier v : b.verifiers) authn.addVerifier(v);
    List<AdmissionPlugin> plugins = new ArrayList<>();
    if (b.defaultAdmission) plugins.addAll(kubelab.apiserver.admission.BuiltinAdmission.plugins(store));
    plugins.addAll(b.admission);
    Map<String, Strategy> strategies = new HashMap<>(kubelab.apiserver.registry.Strategies.builtin(store));
    strategies.putAll(b.strategies);
    rest = new RestContext(store, resources, b.clock, new Admission(plugins), b.defaults, strategies,
        b.schema, b.podStreams);
    new Bootstrap(rest).run();
    namespaceController = new kubelab.apiserver.controllers.NamespaceController(store, b.clock,
        b.ca == null ? null : b.ca.certPem()).start();
    ResourceType serviceAccounts = resources.find("", "v1", "serviceaccounts").orElseThrow();
    ResourceType podsType = resources.find("", "v1", "pods").orElseThrow();
    kubelab.apiserver.auth.ServiceAccountTokens saTokens = new kubelab.apiserver.auth.ServiceAccountTokens(
        b.serviceAccountKey != null ? b.serviceAccountKey : Pki.newKeyPair(Pki.Algorithm.ECDSA_P256), b.clock,
        (resource, ns, name) -> (resource.equals("pods") ? store.get(podsType, ns, name) : store.cachedGet(serviceAccounts, ns, name))
            .map(s -> s.object().path("metadata").path("uid").asText()));
    authn.addVerifier(saTokens);
    ReviewApis reviews = new ReviewApis(rbac, authn);
    ResourceRouter router = new ResourceRouter(rest, reviews.handlers(), saTokens);
    server = new Server(threadPool());
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendDateHeader(true);
    http.setRequestHeaderSize(64 * 1024);
    if (b.serving != null) {
      http.addCustomizer(new SecureRequestCustomizer(false)); // the client checks names (SANs), not Jetty
      java.security.cert.X509Certificate clientCa = b.ca.cert();
      ssl = new SslContextFactory.Server() {
        @Override
        protected javax.net.ssl.TrustManager[] getTrustManagers(java.security.KeyStore trustStore,
            java.util.Collection<? extends java.security.cert.CRL> crls) {
          return new javax.net.ssl.TrustManager[] {new kubelab.apiserver.auth.ClientCaTrust(clientCa)};
        }
      };
      char[] pw = "kubelab".toCharArray();
      ssl.setKeyStore(Pki.keyStore(b.serving, b.ca, pw));
      ssl.setKeyStorePassword(new String(pw));
      ssl.setTrustStore(Pki.trustStore(b.ca.cert()));
      ssl.setWantClientAuth(true);
      ssl.setEndpointIdentificationAlgorithm(null);
      connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
    } else {
      connector = new ServerConnector(server, new HttpConnectionFactory(http));
    }
    connector.setHost(b.host);
    connector.setPort(b.port);
    connector.setIdleTimeout(Params.HTTP_IDLE_TIMEOUT_MS);
    server.addConnector(connector);
    Discovery discovery = new Discovery(resources, b.host + ":" + b.port);
    OpenApi openapi = new OpenApi(resources, SchemaCatalog.builtin());
    ApiHandler handler = new ApiHandler(resources, authn, rbac, discovery, openapi, router, b.status);
    StreamUpgrader upgrader = new StreamUpgrader(handler, rest, router);
    server.setHandler(upgrader.wrap(server, new JettyAdapter(handler, Params.MAX_REQUEST_BODY_BYTES)));
    server.start();
    return this;
  }

  private static QueuedThreadPool threadPool() {
    QueuedThreadPool p = new QueuedThreadPool(Params.HTTP_MAX_THREADS, 8);
    p.setName("apiserver");
    p.setDaemon(true);
    return p;
  }

  /**
   * Swaps the serving certificate without dropping the listener (what {@code lab certs renew
   * apiserver} triggers; kubeadm users restart the apiserver instead). New connections see it.
   */
  public void reloadServingCertificate(CertKey serving) throws Exception {
    if (ssl == null) throw new IllegalStateException("this API server does not serve TLS");
    char[] pw = "kubelab".toCharArray();
    ssl.reload(f -> f.setKeyStore(Pki.keyStore(serving, b.ca, pw)));
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  public String host() {
    return b.host;
  }

  /** {@code https://HOST:PORT} (or http without TLS). */
  public String url() {
    String h = b.host.contains(":") ? "[" + b.host + "]" : b.host;
    if (h.equals("0.0.0.0")) h = "127.0.0.1";
    return (b.serving != null ? "https://" : "http://") + h + ":" + port();
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(b.host, port());
  }

  /** The CA that signed the serving certificate (PEM), or null without TLS. */
  public String caPem() {
    return b.ca == null ? null : b.ca.certPem();
  }

  public KvStore store() {
    return b.store;
  }

  /** Lets a kubelet register itself for logs and streams (the seam kubelets plug into). */
  public Rbac rbac() {
    return rbac;
  }

  @Override
  public void close() {
    try {
      if (server != null) server.stop();
    } catch (Exception e) {
      // stopping is best effort
    }
    if (namespaceController != null) namespaceController.close();
    if (rbac != null) rbac.close();
    if (rest != null) rest.store.close();
  }

  /** Builder; {@link #store} is required, everything else has a default. */
  public static final class Builder {
    private KvStore store;
    private java.security.KeyPair serviceAccountKey;
    private String host = "127.0.0.1";
    private int port = 6443;
    private CertKey ca;
    private CertKey serving;
    private boolean anonymous = true;
    private Clock clock = Clock.systemUTC();
    private final List<Token> tokens = new ArrayList<>();
    private final List<Authenticator.TokenVerifier> verifiers = new ArrayList<>();
    private final List<AdmissionPlugin> admission = new ArrayList<>();
    private BiConsumer<ResourceType, ObjectNode> defaults = kubelab.apiserver.registry.Defaulting::apply;
    private final Map<String, Strategy> strategies = new HashMap<>();
    private kubelab.apiserver.rest.SchemaCheck schema = new kubelab.apiserver.rest.CatalogSchemaCheck(SchemaCatalog.builtin());
    private PodStreams podStreams = PodStreams.NONE;
    private boolean defaultAdmission = true;
    private java.util.function.Supplier<com.fasterxml.jackson.databind.JsonNode> status;

    private record Token(String token, String user, List<String> groups) {}

    public Builder store(KvStore s) { this.store = s; return this; }

    /**
     * The key service account tokens are signed with (kubeadm's {@code sa.key}); without one, a
     * key is made per start, so tokens do not outlive the process.
     */
    public Builder serviceAccountKey(java.security.KeyPair k) { this.serviceAccountKey = k; return this; }

    /** Address and port to listen on (default 127.0.0.1:6443; port 0 picks a free one). */
    public Builder bind(String host, int port) { this.host = host; this.port = port; return this; }

    /** Serve TLS with this serving certificate, and accept client certificates signed by {@code ca}. */
    public Builder tls(CertKey ca, CertKey serving) { this.ca = ca; this.serving = serving; return this; }

    /** Accept {@code token} as a bearer token for {@code user} in {@code groups}. */
    public Builder token(String token, String user, List<String> groups) {
      tokens.add(new Token(token, user, List.copyOf(groups)));
      return this;
    }

    public Builder tokenVerifier(Authenticator.TokenVerifier v) { verifiers.add(v); return this; }

    /** Whether requests without credentials are served as system:anonymous (default true, as kube-apiserver). */
    public Builder anonymous(boolean on) { this.anonymous = on; return this; }

    public Builder clock(Clock c) { this.clock = c; return this; }

    /** Where pod logs and streams come from (the kubelets); default: nowhere (503). */
    public Builder podStreams(PodStreams p) { this.podStreams = p; return this; }

    /** Adds an admission plugin after the built-in ones. */
    public Builder admission(AdmissionPlugin p) { admission.add(p); return this; }

    /** Serves this at GET /kubelab/status (the control plane's component table for lab cluster status). */
    public Builder status(java.util.function.Supplier<com.fasterxml.jackson.databind.JsonNode> s) {
      this.status = s;
      return this;
    }

    /** Turns off the built-in admission plugins (tests of raw storage behaviour). */
    public Builder withoutDefaultAdmission() { this.defaultAdmission = false; return this; }

    public ApiServer build() {
      Objects.requireNonNull(store, "store");
      return new ApiServer(this);
    }
  }
}
