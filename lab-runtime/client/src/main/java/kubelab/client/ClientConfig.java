package kubelab.client;

import java.net.URI;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a {@link KubeClient} needs to reach one API server as one user: client-go's
 * {@code rest.Config}. Immutable; build one with {@link #builder(String)} or from a kubeconfig with
 * {@link KubeConfig#clientConfig(String)}.
 *
 * <p>Rate limiting: {@code qps}/{@code burst} feed a token bucket in front of every request,
 * watches included, as client-go does. {@code qps <= 0} turns it off (the scheduler benchmark does).
 */
public final class ClientConfig {
  private final URI server;
  private final List<X509Certificate> caCertificates;
  private final boolean insecureSkipTlsVerify;
  private final List<X509Certificate> clientCertificates;
  private final PrivateKey clientKey;
  private final String bearerToken;
  private final String username;
  private final String password;
  private final String namespace;
  private final double qps;
  private final int burst;
  private final Duration connectTimeout;
  private final Duration requestTimeout;
  private final String userAgent;
  private final Clock clock;

  private ClientConfig(Builder b) {
    this.server = Objects.requireNonNull(b.server, "server");
    this.caCertificates = List.copyOf(b.caCertificates);
    this.insecureSkipTlsVerify = b.insecureSkipTlsVerify;
    this.clientCertificates = List.copyOf(b.clientCertificates);
    this.clientKey = b.clientKey;
    this.bearerToken = b.bearerToken;
    this.username = b.username;
    this.password = b.password;
    this.namespace = b.namespace;
    this.qps = b.qps;
    this.burst = b.burst;
    this.connectTimeout = b.connectTimeout;
    this.requestTimeout = b.requestTimeout;
    this.userAgent = b.userAgent;
    this.clock = b.clock;
    if ((clientKey == null) != clientCertificates.isEmpty()) {
      throw new IllegalArgumentException("a client certificate needs its key and the key its certificate");
    }
  }

  /** A builder for the server at {@code server} (e.g. {@code https://127.0.0.1:6443}). */
  public static Builder builder(String server) {
    return new Builder(URI.create(server.endsWith("/") ? server.substring(0, server.length() - 1) : server));
  }

  public Builder toBuilder() {
    Builder b = new Builder(server);
    b.caCertificates = caCertificates;
    b.insecureSkipTlsVerify = insecureSkipTlsVerify;
    b.clientCertificates = clientCertificates;
    b.clientKey = clientKey;
    b.bearerToken = bearerToken;
    b.username = username;
    b.password = password;
    b.namespace = namespace;
    b.qps = qps;
    b.burst = burst;
    b.connectTimeout = connectTimeout;
    b.requestTimeout = requestTimeout;
    b.userAgent = userAgent;
    b.clock = clock;
    return b;
  }

  public URI server() { return server; }
  public List<X509Certificate> caCertificates() { return caCertificates; }
  public boolean insecureSkipTlsVerify() { return insecureSkipTlsVerify; }
  public List<X509Certificate> clientCertificates() { return clientCertificates; }
  public PrivateKey clientKey() { return clientKey; }
  public String bearerToken() { return bearerToken; }
  public String username() { return username; }
  public String password() { return password; }
  /** The default namespace of the kubeconfig context ("default" if it names none). */
  public String namespace() { return namespace; }
  public double qps() { return qps; }
  public int burst() { return burst; }
  public Duration connectTimeout() { return connectTimeout; }
  public Duration requestTimeout() { return requestTimeout; }
  public String userAgent() { return userAgent; }
  /** The clock of the client-side rate limiter. */
  public Clock clock() { return clock; }

  /** Mutable builder; not thread-safe. */
  public static final class Builder {
    private final URI server;
    private List<X509Certificate> caCertificates = List.of();
    private boolean insecureSkipTlsVerify;
    private List<X509Certificate> clientCertificates = List.of();
    private PrivateKey clientKey;
    private String bearerToken;
    private String username;
    private String password;
    private String namespace = "default";
    private double qps = Params.DEFAULT_QPS;
    private int burst = Params.DEFAULT_BURST;
    private Duration connectTimeout = Params.CONNECT_TIMEOUT;
    private Duration requestTimeout = Params.REQUEST_TIMEOUT;
    private String userAgent = Params.USER_AGENT;
    private Clock clock = Clock.systemUTC();

    private Builder(URI server) {
      this.server = server;
    }

    /** Trust exactly these CA certificates (PEM, one or more CERTIFICATE blocks). */
    public Builder caPem(String pem) {
      this.caCertificates = Pem.certificates(pem);
      return this;
    }

    public Builder caCertificates(List<X509Certificate> certs) {
      this.caCertificates = List.copyOf(certs);
      return this;
    }

    public Builder insecureSkipTlsVerify(boolean skip) {
      this.insecureSkipTlsVerify = skip;
      return this;
    }

    /** Authenticate with a client certificate (chain) and its private key, both PEM. */
    public Builder clientCertificatePem(String certPem, String keyPem) {
      this.clientCertificates = Pem.certificates(certPem);
      this.clientKey = Pem.privateKey(keyPem);
      return this;
    }

    public Builder bearerToken(String token) {
      this.bearerToken = token;
      return this;
    }

    public Builder basicAuth(String username, String password) {
      this.username = username;
      this.password = password;
      return this;
    }

    public Builder namespace(String ns) {
      this.namespace = ns;
      return this;
    }

    /** Client-side limit: {@code qps <= 0} disables it. */
    public Builder rateLimit(double qps, int burst) {
      this.qps = qps;
      this.burst = burst;
      return this;
    }

    public Builder connectTimeout(Duration d) {
      this.connectTimeout = d;
      return this;
    }

    public Builder requestTimeout(Duration d) {
      this.requestTimeout = d;
      return this;
    }

    public Builder userAgent(String ua) {
      this.userAgent = ua;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    public ClientConfig build() {
      return new ClientConfig(this);
    }
  }
}
