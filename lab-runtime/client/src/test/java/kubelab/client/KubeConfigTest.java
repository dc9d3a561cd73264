package kubelab.client;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kubeconfig subset kubectl uses: contexts, inline and file credentials, merging, clear errors. */
class KubeConfigTest {
  @TempDir Path dir;

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test void theCurrentContextPicksClusterUserAndNamespace() throws Exception {
    TestPki pki = TestPki.shared();
    String yaml = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: kubelab
          cluster:
            server: https://127.0.0.1:6443
            certificate-authority-data: %s
        - name: other
          cluster: {server: https://10.0.0.1:6443}
        users:
        - name: admin
          user:
            client-certificate-data: %s
            client-key-data: %s
        - name: learner
          user: {token: abc.def}
        contexts:
        - name: kubelab
          context: {cluster: kubelab, user: admin, namespace: team-a}
        - name: learner
          context: {cluster: kubelab, user: learner}
        current-context: kubelab
        """.formatted(b64(pki.read("ca.crt")), b64(pki.read("ec.crt")), b64(pki.read("ec.key")));
    KubeConfig kc = KubeConfig.parse(yaml, dir);
    ClientConfig c = kc.clientConfig(null);
    assertEquals("https://127.0.0.1:6443", c.server().toString());
    assertEquals("team-a", c.namespace());
    assertEquals(1, c.caCertificates().size());
    assertEquals("EC", c.clientKey().getAlgorithm());
    assertNull(c.bearerToken());

    ClientConfig l = kc.clientConfig("learner");
    assertEquals("abc.def", l.bearerToken());
    assertEquals("default", l.namespace(), "no namespace in the context means default");
    assertNull(l.clientKey());
  }

  @Test void filePathsAreRelativeToTheKubeconfigsDirectory() throws Exception {
    TestPki.shared().copyTo(dir.resolve("pki"));
    Files.writeString(dir.resolve("token"), "tok-from-file\n");
    Path cfg = dir.resolve("config");
    Files.writeString(cfg, """
        clusters:
        - name: c
          cluster: {server: "https://127.0.0.1:6443", certificate-authority: pki/ca.crt}
        users:
        - name: u
          user: {client-certificate: pki/pkcs1.crt, client-key: pki/pkcs1.key, tokenFile: token}
        contexts:
        - name: x
          context: {cluster: c, user: u}
        current-context: x
        """);
    ClientConfig c = KubeConfig.load(cfg).clientConfig(null);
    assertEquals("RSA", c.clientKey().getAlgorithm());
    assertEquals("tok-from-file", c.bearerToken());
    assertEquals(1, c.caCertificates().size());
  }

  @Test void severalFilesMergeFirstDefinitionWins() throws Exception {
    Path a = dir.resolve("a"), b = dir.resolve("b");
    Files.writeString(a, """
        clusters: [{name: c, cluster: {server: "https://first:1"}}]
        contexts: [{name: x, context: {cluster: c}}]
        """);
    Files.writeString(b, """
        clusters: [{name: c, cluster: {server: "https://second:2"}}, {name: d, cluster: {server: "https://d:3"}}]
        contexts: [{name: y, context: {cluster: d}}]
        current-context: y
        """);
    KubeConfig kc = KubeConfig.load(a, b, dir.resolve("missing"));
    assertEquals("y", kc.currentContext(), "the first file that sets current-context wins");
    assertEquals("https://first:1", kc.server("x"));
    assertEquals("https://d:3", kc.server("y"));
  }

  @Test void mistakesAreReportedPlainly() {
    KubeConfig kc = KubeConfig.parse("""
        clusters: [{name: c, cluster: {server: "https://h:1"}}]
        users: [{name: sso, user: {exec: {command: gke-gcloud-auth-plugin}}}]
        contexts: [{name: x, context: {cluster: c, user: sso}}, {name: y, context: {cluster: nope}}]
        """, dir);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kc.clientConfig(null));
    assertTrue(e.getMessage().contains("no current-context"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> kc.clientConfig("x"));
    assertTrue(e.getMessage().contains("credential plugin"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> kc.clientConfig("y"));
    assertTrue(e.getMessage().contains("cluster \"nope\" not found"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> kc.clientConfig("z"));
    assertTrue(e.getMessage().contains("context \"z\" not found"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> KubeConfig.load(dir.resolve("none")));
  }
}
