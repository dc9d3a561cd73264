package kubelab.apiserver.pki;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The cluster's certificates, issued the way kubeadm issues them (its "certs" phase): a self-signed
 * CA ("kubernetes", 10 years), the API server's serving certificate ("kube-apiserver", 1 year)
 * whose Subject Alternative Names list every name and address clients may dial, and client
 * certificates whose subject is the identity (CN = user, O = groups).
 *
 * <p>Keys are RSA 2048 by default, kubeadm's default {@code encryptionAlgorithm}, or ECDSA P-256
 * ({@code ECDSA-P256}: generated in microseconds, which suits tests that make a CA per run). A
 * certificate's key has the algorithm of its CA's. With RSA client certificates a Java server
 * checks a new connection's client signature in microseconds instead of the milliseconds an ECDSA
 * verification takes, which every {@code kubectl} command (a new connection) pays. Stateless,
 * thread-safe.
 */
public final class Pki {
  private Pki() {}

  public static final Duration CA_VALIDITY = Duration.ofDays(3650);
  public static final Duration CERT_VALIDITY = Duration.ofDays(365);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** kubeadm's {@code encryptionAlgorithm} values this PKI supports. */
  public enum Algorithm { RSA_2048, ECDSA_P256 }

  public static KeyPair newKeyPair(Algorithm a) {
    try {
      if (a == Algorithm.RSA_2048) {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048, RANDOM);
        return g.generateKeyPair();
      }
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static Algorithm algorithmOf(java.security.PrivateKey key) {
    return key.getAlgorithm().equals("RSA") ? Algorithm.RSA_2048 : Algorithm.ECDSA_P256;
  }

  static String signatureAlgorithm(java.security.PrivateKey key) {
    return algorithmOf(key) == Algorithm.RSA_2048 ? "SHA256withRSA" : "SHA256withECDSA";
  }

  /** A self-signed CA (kubeadm: CN=kubernetes) with an RSA 2048 key, kubeadm's default. */
  public static CertKey newCa(String commonName) {
    return newCa(commonName, Algorithm.RSA_2048);
  }

  /** A self-signed CA whose key, and the keys of the certificates it issues, use {@code a}. */
  public static CertKey newCa(String commonName, Algorithm a) {
    KeyPair kp = newKeyPair(a);
    X500Name subject = name(commonName, List.of());
    try {
      Instant now = Instant.now();
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(),
          Date.from(now.minusSeconds(300)), Date.from(now.plus(CA_VALIDITY)), subject, kp.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(Extension.keyUsage, true,
          new KeyUsage(KeyUsage.keyCertSign | KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(kp.getPublic()));
      return new CertKey(sign(b, kp), kp.getPrivate());
    } catch (Exception e) {
      throw new IllegalStateException("cannot create the CA certificate: " + e, e);
    }
  }

  /**
   * A certificate signed by {@code ca}.
   *
   * @param organizations the O entries (Kubernetes groups for client certificates)
   * @param dnsNames DNS Subject Alternative Names (serving certificates)
   * @param ips IP Subject Alternative Names, in the order TLS errors will list them
   */
  public static CertKey issue(CertKey ca, String commonName, List<String> organizations, List<String> dnsNames,
      List<String> ips, boolean server, boolean client, Duration validity) {
    KeyPair kp = newKeyPair(algorithmOf(ca.key()));
    try {
      Instant now = Instant.now();
      X500Name issuer = X500Name.getInstance(ca.cert().getSubjectX500Principal().getEncoded());
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial(),
          Date.from(now.minusSeconds(300)), Date.from(now.plus(validity)), name(commonName, organizations),
          kp.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      List<KeyPurposeId> purposes = new ArrayList<>();
      if (server) purposes.add(KeyPurposeId.id_kp_serverAuth);
      if (client) purposes.add(KeyPurposeId.id_kp_clientAuth);
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes.toArray(new KeyPurposeId[0])));
      b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.cert()));
      List<GeneralName> sans = new ArrayList<>();
      for (String d : dnsNames) sans.add(new GeneralName(GeneralName.dNSName, d));
      for (String ip : ips) sans.add(new GeneralName(GeneralName.iPAddress, ip));
      if (!sans.isEmpty()) {
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(new GeneralName[0])));
      }
      ContentSigner signer = new JcaContentSignerBuilder(signatureAlgorithm(ca.key())).build(ca.key());
      X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(signer));
      return new CertKey(cert, kp.getPrivate());
    } catch (Exception e) {
      throw new IllegalStateException("cannot issue a certificate for " + commonName + ": " + e, e);
    }
  }

  /** The API server's serving certificate with kubeadm's SANs plus {@code extraSans}. */
  public static CertKey apiServer(CertKey ca, List<String> extraSans) {
    List<String> dns = new ArrayList<>(List.of("kubernetes", "kubernetes.default", "kubernetes.default.svc",
        "kubernetes.default.svc.cluster.local", "localhost"));
    List<String> ips = new ArrayList<>(List.of("127.0.0.1", "10.96.0.1", "::1"));
    for (String s : extraSans) {
      if (isIp(s)) {
        if (!ips.contains(s)) ips.add(s);
      } else if (!dns.contains(s)) {
        dns.add(s);
      }
    }
    return issue(ca, "kube-apiserver", List.of(), dns, ips, true, false, CERT_VALIDITY);
  }

  /** A client certificate: CN = user, O = groups. */
  public static CertKey client(CertKey ca, String user, List<String> groups) {
    return issue(ca, user, groups, List.of(), List.of(), false, true, CERT_VALIDITY);
  }

  public static boolean isIp(String s) {
    if (s.isEmpty()) return false;
    if (s.contains(":")) return true;
    if (!s.matches("[0-9.]+")) return false;
    try {
      InetAddress.getByName(s);
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** A PKCS#12 key store holding one key with its chain, for Jetty. */
  public static KeyStore keyStore(CertKey leaf, CertKey ca, char[] password) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("kubelab", leaf.key(), password, new Certificate[] {leaf.cert(), ca.cert()});
      return ks;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A trust store holding the CA (client certificates are verified against it). */
  public static KeyStore trustStore(X509Certificate ca) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setCertificateEntry("ca", ca);
      return ks;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static X500Name name(String cn, List<String> orgs) {
    X500NameBuilder nb = new X500NameBuilder(BCStyle.INSTANCE);
    for (String o : orgs) nb.addRDN(BCStyle.O, o);
    nb.addRDN(BCStyle.CN, cn);
    return nb.build();
  }

  private static BigInteger serial() {
    return new BigInteger(63, RANDOM).add(BigInteger.ONE);
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair kp)
      throws OperatorCreationException, java.security.cert.CertificateException {
    ContentSigner signer = new JcaContentSignerBuilder(signatureAlgorithm(kp.getPrivate())).build(kp.getPrivate());
    return new JcaX509CertificateConverter().getCertificate(b.build(signer));
  }
}
