package kubelab.apiserver.pki;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A kubeconfig (the file kubectl reads, {@code ~/.kube/config}): one cluster (server URL and CA),
 * one user (a client certificate or a bearer token) and one context joining them, made current.
 * The same shape {@code kubeadm} writes to admin.conf and {@code kind get kubeconfig} prints.
 */
public final class Kubeconfig {
  private Kubeconfig() {}

  /** A kubeconfig that authenticates with a client certificate. */
  public static String withCertificate(String clusterName, String server, String caPem, String user,
      String certPem, String keyPem) {
    return render(clusterName, server, caPem, user,
        "    client-certificate-data: " + b64(certPem) + "\n    client-key-data: " + b64(keyPem) + "\n");
  }

  /** A kubeconfig that authenticates with a bearer token. */
  public static String withToken(String clusterName, String server, String caPem, String user, String token) {
    return render(clusterName, server, caPem, user, "    token: " + token + "\n");
  }

  private static String render(String cluster, String server, String caPem, String user, String credentials) {
    String context = user + "@" + cluster;
    StringBuilder b = new StringBuilder();
    b.append("apiVersion: v1\n");
    b.append("kind: Config\n");
    b.append("clusters:\n");
    b.append("- cluster:\n");
    if (caPem != null) b.append("    certificate-authority-data: ").append(b64(caPem)).append('\n');
    b.append("    server: ").append(server).append('\n');
    b.append("  name: ").append(cluster).append('\n');
    b.append("contexts:\n");
    b.append("- context:\n");
    b.append("    cluster: ").append(cluster).append('\n');
    b.append("    user: ").append(user).append('\n');
    b.append("  name: ").append(context).append('\n');
    b.append("current-context: ").append(context).append('\n');
    b.append("preferences: {}\n");
    b.append("users:\n");
    b.append("- name: ").append(user).append('\n');
    b.append("  user:\n");
    b.append(credentials);
    return b.toString();
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
