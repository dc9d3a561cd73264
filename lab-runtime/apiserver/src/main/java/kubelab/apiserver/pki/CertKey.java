package kubelab.apiserver.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/**
 * A certificate and its private key, readable from and writable to PEM files the way kubeadm
 * lays them out ({@code ca.crt}/{@code ca.key}, {@code apiserver.crt}/{@code apiserver.key}).
 * Immutable.
 */
public record CertKey(X509Certificate cert, PrivateKey key) {

  public String certPem() {
    return pem(cert);
  }

  /**
   * The key as kubeadm writes an ECDSA key: SEC1 PEM ({@code EC PRIVATE KEY}). Java clients guess a
   * kubeconfig key's algorithm from that header (fabric8 takes {@code PRIVATE KEY} for RSA), and
   * Go's crypto/tls (kubectl) reads either.
   */
  public String keyPem() {
    if (key instanceof java.security.interfaces.ECPrivateKey ec) {
      // Go's x509.MarshalECPrivateKey: version 1, the scalar, [0] the named curve, [1] the public
      // point (Java's own encoding leaves the curve and the point out, which fabric8 cannot read).
      org.bouncycastle.asn1.x509.SubjectPublicKeyInfo spki =
          org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(cert.getPublicKey().getEncoded());
      int bits = ec.getParams().getOrder().bitLength();
      try {
        byte[] der = new org.bouncycastle.asn1.sec.ECPrivateKey(bits, ec.getS(), spki.getPublicKeyData(),
            spki.getAlgorithm().getParameters()).getEncoded();
        return pem(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", der));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return pem(key);
  }

  public static String pem(Object o) {
    StringWriter sw = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
      w.writeObject(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sw.toString();
  }

  /** Writes NAME.crt (0644) and NAME.key (0600) into {@code dir}. */
  public void write(Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(name + ".crt"), certPem(), StandardCharsets.UTF_8);
    Path key = dir.resolve(name + ".key");
    Files.writeString(key, keyPem(), StandardCharsets.UTF_8);
    try {
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // not a POSIX file system
    }
  }

  public static CertKey read(Path dir, String name) throws IOException {
    return new CertKey(readCert(Files.readString(dir.resolve(name + ".crt"))),
        readKey(Files.readString(dir.resolve(name + ".key"))));
  }

  public static X509Certificate readCert(String pem) throws IOException {
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      Object o = p.readObject();
      if (!(o instanceof X509CertificateHolder h)) throw new IOException("not a PEM certificate");
      return new JcaX509CertificateConverter().getCertificate(h);
    } catch (CertificateException e) {
      throw new IOException(e);
    }
  }

  /**
   * A key pair without a certificate, as kubeadm keeps the service account signing key: NAME.key
   * (the private key, PKCS#1 or SEC1) and NAME.pub (the public key), read or created in {@code dir}.
   */
  public static java.security.KeyPair keyPair(Path dir, String name, Pki.Algorithm algorithm) throws IOException {
    Path key = dir.resolve(name + ".key");
    if (Files.exists(key)) {
      try (PEMParser p = new PEMParser(new StringReader(Files.readString(key)))) {
        if (p.readObject() instanceof PEMKeyPair kp) return new JcaPEMKeyConverter().getKeyPair(kp);
      }
      throw new IOException(key + " is not a PKCS#1 or SEC1 private key");
    }
    java.security.KeyPair kp = Pki.newKeyPair(algorithm);
    Files.createDirectories(dir);
    Files.writeString(key, pem(kp.getPrivate()), StandardCharsets.UTF_8);
    try {
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // not a POSIX file system
    }
    Files.writeString(dir.resolve(name + ".pub"), pem(kp.getPublic()), StandardCharsets.UTF_8);
    return kp;
  }

  public static PrivateKey readKey(String pem) throws IOException {
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      Object o = p.readObject();
      JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
      if (o instanceof PEMKeyPair kp) return conv.getPrivateKey(kp.getPrivateKeyInfo()); // SEC1 "EC PRIVATE KEY"
      if (o instanceof PrivateKeyInfo info) return conv.getPrivateKey(info);
      throw new IOException("not a PEM private key");
    }
  }
}
