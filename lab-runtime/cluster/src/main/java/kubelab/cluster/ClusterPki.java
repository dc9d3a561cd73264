package kubelab.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import kubelab.apiserver.pki.CertKey;
import kubelab.apiserver.pki.Kubeconfig;
import kubelab.apiserver.pki.Pki;

/**
 * The cluster's PKI on disk, laid out like kubeadm's {@code /etc/kubernetes/pki} (its "certs"
 * phase) under {@code STATE/pki}, plus the kubeconfigs kubeadm writes ("kubeconfig" phase) under
 * {@code STATE}:
 * <pre>
 *   pki/ca.crt, ca.key                  the cluster CA ("kubernetes")
 *   pki/apiserver.crt, apiserver.key    serving certificate; its SANs are every name clients may dial
 *   pki/admin.crt, ...                  client certificates: CN is the user, O the groups
 *   admin.conf                          kubernetes-admin in kubeadm:cluster-admins (bound to cluster-admin)
 *   super-admin.conf                    kubernetes-super-admin in system:masters (bypasses RBAC)
 *   learner.conf                        learner: read-only (ClusterRole kubelab:learner, no Secrets)
 *   scheduler.conf                      system:kube-scheduler
 * </pre>
 * Existing files are kept (kubeadm does not overwrite certificates either); {@link #renewApiServer}
 * re-issues the serving certificate with extra SANs, the fix of the SAN exercise.
 */
public final class ClusterPki {
  /** A kubeconfig user: file name, certificate name, CN and O. */
  public record User(String kubeconfig, String cert, String commonName, List<String> groups, String description) {}

  public static final List<User> USERS = List.of(
      new User("admin.conf", "admin", "kubernetes-admin", List.of("kubeadm:cluster-admins"), "cluster admin (RBAC: cluster-admin)"),
      new User("super-admin.conf", "super-admin", "kubernetes-super-admin", List.of("system:masters"), "bypasses RBAC (break-glass)"),
      new User("learner.conf", "learner", "learner", List.of(), "read-only (ClusterRole kubelab:learner)"),
      new User("scheduler.conf", "scheduler", "system:kube-scheduler", List.of(), "the scheduler's identity"));

  private final Path state;
  private final Path dir;
  private CertKey ca;
  private CertKey apiServer;

  private ClusterPki(Path state) {
    this.state = state;
    this.dir = state.resolve("pki");
  }

  /** Loads the PKI under {@code state}, creating whatever is missing. */
  public static ClusterPki ensure(Path state, List<String> extraSans) throws IOException {
    ClusterPki p = new ClusterPki(state);
    Files.createDirectories(p.dir);
    if (Files.exists(p.dir.resolve("ca.crt"))) {
      p.ca = CertKey.read(p.dir, "ca");
    } else {
      p.ca = Pki.newCa("kubernetes");
      p.ca.write(p.dir, "ca");
    }
    if (Files.exists(p.dir.resolve("apiserver.crt"))) {
      p.apiServer = CertKey.read(p.dir, "apiserver");
      if (!p.sans().containsAll(extraSans)) p.renewApiServer(extraSans);
    } else {
      p.apiServer = Pki.apiServer(p.ca, extraSans);
      p.apiServer.write(p.dir, "apiserver");
    }
    for (User u : USERS) {
      if (!Files.exists(p.dir.resolve(u.cert() + ".crt"))) Pki.client(p.ca, u.commonName(), u.groups()).write(p.dir, u.cert());
    }
    p.serviceAccountKey();
    return p;
  }

  /** Loads an existing PKI (for lab certs and lab kubeconfig); fails if there is none. */
  public static ClusterPki load(Path state) throws IOException {
    ClusterPki p = new ClusterPki(state);
    if (!Files.exists(p.dir.resolve("ca.crt"))) {
      throw new IOException("no cluster PKI under " + p.dir + ": run lab certs init or lab cluster up first");
    }
    p.ca = CertKey.read(p.dir, "ca");
    p.apiServer = CertKey.read(p.dir, "apiserver");
    return p;
  }

  public Path dir() {
    return dir;
  }

  /** The service account token signing key: pki/sa.key and pki/sa.pub, as kubeadm (RSA 2048). */
  public java.security.KeyPair serviceAccountKey() throws IOException {
    return CertKey.keyPair(dir, "sa", Pki.Algorithm.RSA_2048);
  }

  public CertKey ca() {
    return ca;
  }

  public CertKey apiServer() {
    return apiServer;
  }

  public CertKey client(User u) throws IOException {
    return CertKey.read(dir, u.cert());
  }

  /** The serving certificate's SANs (DNS names, then IPs), in certificate order. */
  public List<String> sans() {
    return sans(apiServer.cert());
  }

  public static List<String> sans(X509Certificate c) {
    List<String> out = new ArrayList<>();
    try {
      Collection<List<?>> alt = c.getSubjectAlternativeNames();
      if (alt != null) for (List<?> e : alt) out.add(compactIpv6(String.valueOf(e.get(1))));
    } catch (CertificateParsingException e) {
      // no SANs
    }
    return out;
  }

  /** 0:0:0:0:0:0:0:1 as ::1 (the longest run of zero groups becomes ::), other values unchanged. */
  static String compactIpv6(String s) {
    if (!s.matches("[0-9a-fA-F]+(:[0-9a-fA-F]+){7}")) return s;
    String[] g = s.split(":");
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; i++) {
      int j = i;
      while (j < 8 && Integer.parseInt(g[j], 16) == 0) j++;
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      if (j > i) i = j - 1;
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (bestLen > 1 && i == bestStart) {
        b.append(i == 0 ? "::" : ":");
        i += bestLen - 1;
        continue;
      }
      b.append(Integer.toHexString(Integer.parseInt(g[i], 16)));
      if (i < 7) b.append(':');
    }
    return b.toString();
  }

  /**
   * Re-issues the serving certificate with the current SANs plus {@code extraSans}, keeping the
   * CA (kubeadm: {@code kubeadm init phase certs apiserver --apiserver-cert-extra-sans}).
   */
  public CertKey renewApiServer(List<String> extraSans) throws IOException {
    List<String> keep = new ArrayList<>();
    List<String> defaults = sans(Pki.apiServer(ca, List.of()).cert());
    for (String s : sans()) if (!defaults.contains(s) && !keep.contains(s)) keep.add(s);
    for (String s : extraSans) if (!keep.contains(s)) keep.add(s);
    apiServer = Pki.apiServer(ca, keep);
    apiServer.write(dir, "apiserver");
    return apiServer;
  }

  /** Writes the kubeconfigs for {@code serverUrl}; returns the admin one's path. */
  public Path writeKubeconfigs(String serverUrl) throws IOException {
    for (User u : USERS) {
      CertKey c = client(u);
      String text = Kubeconfig.withCertificate("kubelab", serverUrl, ca.certPem(), u.commonName(), c.certPem(), c.keyPem());
      Path f = state.resolve(u.kubeconfig());
      Files.writeString(f, text, StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not POSIX
      }
    }
    return state.resolve("admin.conf");
  }

  /** One certificate for lab certs list (kubeadm certs check-expiration's columns). */
  public record CertInfo(String name, String subject, List<String> sans, Instant expires, Duration residual, String authority) {}

  public List<CertInfo> list(Instant now) throws IOException {
    List<CertInfo> out = new ArrayList<>();
    out.add(info("ca", ca.cert(), now, ""));
    out.add(info("apiserver", apiServer.cert(), now, "ca"));
    for (User u : USERS) out.add(info(u.cert(), client(u).cert(), now, "ca"));
    return out;
  }

  private static CertInfo info(String name, X509Certificate c, Instant now, String authority) {
    Instant exp = c.getNotAfter().toInstant();
    return new CertInfo(name, c.getSubjectX500Principal().getName(), sans(c), exp, Duration.between(now, exp), authority);
  }
}
