package kubelab.client;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PEM keys in every format kubeconfigs carry, and a TLS round trip: the client trusts only the
 * kubeconfig's CA, checks the server's SAN, and presents its client certificate to a server that
 * requires one. The server is the JDK's HTTPS server with the openssl-made certificates.
 */
class PemAndTlsTest {
  TestPki pki;
  HttpsServer server;
  final AtomicReference<String> clientSubject = new AtomicReference<>();

  @BeforeEach void pki() throws Exception {
    pki = TestPki.shared();
  }

  @AfterEach void stop() {
    if (server != null) server.stop(0);
  }

  @Test void everyKeyFormatDecodesToTheKeyOfItsCertificate() throws Exception {
    for (String k : List.of("pkcs8", "pkcs1", "ec")) {
      PrivateKey key = Pem.privateKey(pki.read(k + ".key"));
      X509Certificate cert = Pem.certificates(pki.read(k + ".crt")).get(0);
      String alg = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update("kubelab".getBytes(StandardCharsets.UTF_8));
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(cert.getPublicKey());
      v.update("kubelab".getBytes(StandardCharsets.UTF_8));
      assertTrue(v.verify(sig), k + ": the key does not match its certificate");
    }
  }

  @Test void garbageIsRejectedWithAClearMessage() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pem.privateKey("not a key"));
    assertTrue(e.getMessage().contains("no PEM private key"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Pem.certificates("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"));
  }

  void startServer() throws Exception {
    startServer("127.0.0.1");
  }

  void startServer(String host) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("server", Pem.privateKey(pki.read("server.key")), "pw".toCharArray(),
        Pem.certificates(pki.read("server.crt")).toArray(new X509Certificate[0]));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, "pw".toCharArray());
    KeyStore ts = KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    ts.setCertificateEntry("ca", Pem.certificates(pki.read("ca.crt")).get(0));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ts);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    server = HttpsServer.create(new InetSocketAddress(host, 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ctx) {
      @Override public void configure(HttpsParameters p) {
        SSLParameters sp = ctx.getDefaultSSLParameters();
        sp.setNeedClientAuth(true);
        p.setSSLParameters(sp);
      }
    });
    server.createContext("/version", ex -> {
      SSLSession s = ((com.sun.net.httpserver.HttpsExchange) ex).getSSLSession();
      clientSubject.set(((X509Certificate) s.getPeerCertificates()[0]).getSubjectX500Principal().getName());
      byte[] body = "{\"major\":\"1\",\"minor\":\"32\",\"gitVersion\":\"v1.32.0-kubelab\"}".getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    server.start();
  }

  String url() {
    return "https://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
  }

  @Test void clientCertificatesOfEveryKeyFormatAuthenticateOverTls() throws Exception {
    startServer();
    for (String k : List.of("pkcs8", "pkcs1", "ec")) {
      ClientConfig cfg = ClientConfig.builder(url()).caPem(pki.read("ca.crt"))
          .clientCertificatePem(pki.read(k + ".crt"), pki.read(k + ".key")).build();
      KubeClient c = KubeClient.create(cfg);
      assertEquals("v1.32.0-kubelab", c.getJson("/version").path("gitVersion").asText());
      assertTrue(clientSubject.get().contains("CN=admin-" + k), clientSubject.get());
    }
  }

  @Test void aServerNotSignedByTheKubeconfigCaIsRefused() throws Exception {
    startServer();
    // trust the client's own certificate as "CA": wrong CA for the server
    ClientConfig cfg = ClientConfig.builder(url()).caPem(pki.read("pkcs8.crt"))
        .clientCertificatePem(pki.read("pkcs8.crt"), pki.read("pkcs8.key")).build();
    KubeClientException e = assertThrows(KubeClientException.class, () -> KubeClient.create(cfg).getRaw("/version"));
    assertFalse(e instanceof ApiException);
    assertTrue(e.getMessage().contains("TLS handshake failed"), e.getMessage());
  }

  @Test void aHostNameOutsideTheCertificatesSansIsRefusedUnlessVerificationIsSkipped() throws Exception {
    startServer("127.0.0.2"); // loopback too, but not among the certificate's SANs
    ClientConfig strict = ClientConfig.builder(url()).caPem(pki.read("ca.crt"))
        .clientCertificatePem(pki.read("ec.crt"), pki.read("ec.key")).build();
    KubeClientException e = assertThrows(KubeClientException.class, () -> KubeClient.create(strict).getRaw("/version"));
    assertTrue(e.getMessage().contains("TLS handshake failed"), e.getMessage());
    ClientConfig insecure = ClientConfig.builder(url()).insecureSkipTlsVerify(true)
        .clientCertificatePem(pki.read("ec.crt"), pki.read("ec.key")).build();
    assertTrue(KubeClient.create(insecure).getRaw("/version").contains("kubelab"));
  }
}
