package kubelab.client;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * PEM certificates and keys, and the {@link SSLContext} a kubeconfig describes.
 *
 * <p>Kubeconfigs carry PEM: a CA bundle ({@code certificate-authority}), a client certificate and
 * its key. The JDK reads X.509 certificates and PKCS#8 keys ({@code BEGIN PRIVATE KEY}) itself;
 * kubeadm and openssl also write PKCS#1 RSA keys ({@code BEGIN RSA PRIVATE KEY}) and SEC1 EC keys
 * ({@code BEGIN EC PRIVATE KEY}), which this class rewraps as PKCS#8 by hand: both are the
 * PKCS#8 {@code PrivateKeyInfo} envelope (version, algorithm identifier, key octets) around the
 * same bytes. Encrypted keys are not supported (kubectl does not support them either).
 */
public final class Pem {
  private Pem() {}

  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]*)-----END \\1-----", Pattern.DOTALL);

  private record Block(String type, byte[] der) {}

  private static List<Block> blocks(String pem) {
    List<Block> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(pem);
    while (m.find()) {
      out.add(new Block(m.group(1), Base64.getMimeDecoder().decode(m.group(2).replaceAll("\\s", ""))));
    }
    return out;
  }

  /** Every CERTIFICATE block in {@code pem}, in order. Fails if there is none. */
  public static List<X509Certificate> certificates(String pem) {
    try {
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      List<X509Certificate> out = new ArrayList<>();
      for (Block b : blocks(pem)) {
        if (b.type.equals("CERTIFICATE")) {
          out.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der)));
        }
      }
      if (out.isEmpty()) throw new IllegalArgumentException("no PEM CERTIFICATE block found");
      return out;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("bad certificate: " + e.getMessage(), e);
    }
  }

  /** The first private key in {@code pem}: PKCS#8, PKCS#1 RSA or SEC1 EC. */
  public static PrivateKey privateKey(String pem) {
    for (Block b : blocks(pem)) {
      try {
        switch (b.type) {
          case "PRIVATE KEY": {
            byte[] der = b.der;
            for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
              try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
              } catch (GeneralSecurityException tryNext) {
                // not this algorithm
              }
            }
            throw new IllegalArgumentException("unsupported PKCS#8 key algorithm");
          }
          case "RSA PRIVATE KEY":
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                pkcs8(OID_RSA, null, b.der)));
          case "EC PRIVATE KEY":
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
                pkcs8(OID_EC, sec1CurveOid(b.der), b.der)));
          case "ENCRYPTED PRIVATE KEY":
            throw new IllegalArgumentException("encrypted private keys are not supported: decrypt it first");
          default:
            break;
        }
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException("bad " + b.type + ": " + e.getMessage(), e);
      }
    }
    throw new IllegalArgumentException("no PEM private key block found");
  }

  // DER of OBJECT IDENTIFIER 1.2.840.113549.1.1.1 (rsaEncryption) and 1.2.840.10045.2.1 (ecPublicKey)
  private static final byte[] OID_RSA = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
  private static final byte[] OID_EC = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

  /** PrivateKeyInfo ::= SEQUENCE { INTEGER 0, SEQUENCE { alg OID, params }, OCTET STRING key } */
  private static byte[] pkcs8(byte[] algOid, byte[] params, byte[] key) {
    byte[] nullParams = {0x05, 0x00};
    byte[] algId = der(0x30, concat(algOid, params == null ? nullParams : params));
    return der(0x30, concat(new byte[] {0x02, 0x01, 0x00}, algId, der(0x04, key)));
  }

  /** ECPrivateKey ::= SEQUENCE { INTEGER 1, OCTET STRING, [0] OID parameters, [1] BIT STRING }: the [0] OID. */
  private static byte[] sec1CurveOid(byte[] der) {
    int[] pos = {0};
    expect(der, pos, 0x30);
    int end = readLength(der, pos) + pos[0];
    while (pos[0] < end) {
      int tag = der[pos[0]++] & 0xff;
      int len = readLength(der, pos);
      if (tag == 0xa0) {
        byte[] oid = new byte[len];
        System.arraycopy(der, pos[0], oid, 0, len);
        return oid; // already a full OID TLV
      }
      pos[0] += len;
    }
    throw new IllegalArgumentException("EC PRIVATE KEY without its curve (the namedCurve parameters):"
        + " kubectl cannot read such a key either (\"tls: failed to parse private key\"); write it as PKCS#8"
        + " (BEGIN PRIVATE KEY) or as SEC1 with the curve");
  }

  private static void expect(byte[] der, int[] pos, int tag) {
    if ((der[pos[0]++] & 0xff) != tag) throw new IllegalArgumentException("malformed DER");
  }

  private static int readLength(byte[] der, int[] pos) {
    int b = der[pos[0]++] & 0xff;
    if (b < 0x80) return b;
    int n = b & 0x7f, len = 0;
    for (int i = 0; i < n; i++) len = (len << 8) | (der[pos[0]++] & 0xff);
    return len;
  }

  private static byte[] der(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int len = content.length;
    if (len < 0x80) {
      out.write(len);
    } else {
      byte[] l = BigInteger.valueOf(len).toByteArray();
      int skip = l[0] == 0 ? 1 : 0;
      out.write(0x80 | (l.length - skip));
      out.write(l, skip, l.length - skip);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) out.writeBytes(p);
    return out.toByteArray();
  }

  /**
   * The TLS context for {@code config}: trust its CA certificates (or the JDK's default trust store
   * if none are given, or anything at all if {@code insecureSkipTlsVerify}), and present its client
   * certificate if it has one.
   */
  public static SSLContext sslContext(ClientConfig config) {
    try {
      TrustManager[] trust;
      if (config.insecureSkipTlsVerify()) {
        trust = new TrustManager[] {new TrustAll()};
      } else if (!config.caCertificates().isEmpty()) {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        int i = 0;
        for (X509Certificate c : config.caCertificates()) ts.setCertificateEntry("ca-" + i++, c);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        trust = tmf.getTrustManagers();
      } else {
        trust = null; // JDK defaults
      }
      javax.net.ssl.KeyManager[] keys = null;
      if (config.clientKey() != null) {
        char[] pw = "kubelab".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("client", config.clientKey(), pw,
            config.clientCertificates().toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        keys = kmf.getKeyManagers();
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(keys, trust, null);
      return ctx;
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new IllegalArgumentException("cannot build TLS context: " + e.getMessage(), e);
    }
  }

  /**
   * insecure-skip-tls-verify: accepts any server certificate. Being an X509ExtendedTrustManager, it
   * also takes over (and skips) the host name check, as kubectl's flag does.
   */
  private static final class TrustAll extends X509ExtendedTrustManager {
    @Override public void checkClientTrusted(X509Certificate[] c, String a, java.net.Socket s) {}
    @Override public void checkServerTrusted(X509Certificate[] c, String a, java.net.Socket s) {}
    @Override public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) {}
    @Override public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) {}
    @Override public void checkClientTrusted(X509Certificate[] c, String a) {}
    @Override public void checkServerTrusted(X509Certificate[] c, String a) {}
    @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
  }
}
