package kubelab.shell.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import kubelab.shell.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lab certs, lab kubeconfig and lab cluster status without a running cluster (the PKI steps, as kubeadm's). */
class ClusterCommandsTest {
  record Run(int code, String out, String err) {}

  static Run lab(String... args) {
    StringWriter out = new StringWriter(), err = new StringWriter();
    int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void certsInitListRenewAndKubeconfig(@TempDir Path root) throws Exception {
    Run r = lab("certs", "init", "--root", root.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(Files.exists(root.resolve("cluster/pki/ca.crt")));
    assertTrue(Files.readString(root.resolve("cluster/pki/admin.key")).startsWith("-----BEGIN RSA PRIVATE KEY-----"), "kubeadm's RSA keys");
    assertTrue(Files.exists(root.resolve("cluster/pki/sa.pub")));
    r = lab("certs", "list", "--root", root.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("apiserver"), r.out());
    assertTrue(r.out().contains("10.96.0.1"), r.out());
    assertTrue(!r.out().contains("127.0.0.5"), r.out());
    r = lab("certs", "renew", "apiserver", "--extra-san", "127.0.0.5", "--root", root.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("127.0.0.5"), r.out());
    r = lab("certs", "list", "--root", root.toString());
    assertTrue(r.out().contains("127.0.0.5"), r.out());
    r = lab("kubeconfig", "--root", root.toString());
    assertEquals(1, r.code(), "kubeconfigs are written when the cluster starts (the port is known then)");
    assertTrue(r.err().contains("start the cluster first (lab cluster up -d)"), r.err());
  }

  @Test
  void statusWithoutAClusterSaysSoWithExitCode3(@TempDir Path root) {
    Run r = lab("cluster", "status", "--root", root.toString());
    assertEquals(3, r.code());
    assertTrue(r.out().contains("No KubeLab cluster is running"), r.out());
  }
}
