package kubelab.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import kubelab.apiserver.pki.CertKey;
import kubelab.apiserver.pki.Pki;

/**
 * A minimal HTTPS client that authenticates as the cluster admin with the client certificate in
 * the state directory (what admin.conf holds), for {@code lab cluster status} and readiness checks.
 */
public final class AdminClient {
  private final HttpClient http;
  private final String url;

  public AdminClient(ClusterPki pki, String url) throws IOException {
    this.url = url;
    try {
      CertKey admin = pki.client(ClusterPki.USERS.get(0));
      char[] pw = "kubelab".toCharArray();
      KeyStore ks = Pki.keyStore(admin, pki.ca(), pw);
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, pw);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(Pki.trustStore(pki.ca().cert()));
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      http = HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(3)).build();
    } catch (Exception e) {
      throw new IOException("cannot load the admin credentials from " + pki.dir() + ": " + e.getMessage(), e);
    }
  }

  /** GET {@code path}; returns the status code and body. */
  public HttpResponse<String> get(String path) throws IOException {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
