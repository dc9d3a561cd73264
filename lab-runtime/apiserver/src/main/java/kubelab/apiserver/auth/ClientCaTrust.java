package kubelab.apiserver.auth;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies client certificates against the cluster CA the way kube-apiserver's x509
 * authenticator does with its client CA bundle: the leaf must be signed by the CA, be within its
 * validity period and, if it names extended key usages, allow client authentication. The CA
 * signs leaves directly (no intermediates), so this is one signature check; Java's general PKIX
 * path validation costs a few milliseconds more on every new connection, which kubectl (a new
 * process, hence a new connection, per command) pays each time.
 *
 * <p>Certificates that fail are rejected during the handshake. Server-side only.
 */
public final class ClientCaTrust extends X509ExtendedTrustManager {
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private final X509Certificate ca;

  public ClientCaTrust(X509Certificate ca) {
    this.ca = ca;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    if (chain == null || chain.length == 0) throw new CertificateException("no client certificate");
    X509Certificate leaf = chain[0];
    if (!leaf.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
      throw new CertificateException("x509: certificate signed by unknown authority");
    }
    leaf.checkValidity();
    try {
      leaf.verify(ca.getPublicKey());
    } catch (Exception e) {
      throw new CertificateException("x509: certificate signed by unknown authority (" + e.getMessage() + ")", e);
    }
    List<String> eku = leaf.getExtendedKeyUsage();
    if (eku != null && !eku.contains(CLIENT_AUTH)) {
      throw new CertificateException("x509: certificate specifies an incompatible key usage");
    }
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("this trust manager only checks clients");
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[] {ca};
  }
}
