package kubelab.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import kubelab.testkit.Requires;

/**
 * A throwaway PKI made with the real openssl, in the shapes kubeadm and openssl write: a CA, a
 * server certificate for 127.0.0.1/localhost, and client certificates whose keys are PKCS#8, PKCS#1
 * RSA and SEC1 EC. Tests that use it call {@link #create} which skips without openssl.
 */
final class TestPki {
  final Path dir;

  private TestPki(Path dir) {
    this.dir = dir;
  }

  private static TestPki shared;

  /** One PKI per test JVM (RSA key generation is slow), in a temp directory removed at exit. */
  static synchronized TestPki shared() throws Exception {
    Requires.command("openssl");
    if (shared == null) {
      Path dir = Files.createTempDirectory("kubelab-test-pki");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try (var files = Files.walk(dir)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
          // best effort at exit
        }
      }));
      shared = create(dir);
    }
    return shared;
  }

  /** Copies the PKI's files into {@code to}. */
  void copyTo(Path to) throws IOException {
    Files.createDirectories(to);
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) Files.copy(f, to.resolve(f.getFileName()));
    }
  }

  static TestPki create(Path dir) throws Exception {
    Requires.command("openssl");
    TestPki p = new TestPki(dir);
    p.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
        "-days", "2", "-subj", "/CN=kubelab-test-ca");
    // server: SANs for the loopback address, as the API server's certificate must have
    p.run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
        "-subj", "/CN=kube-apiserver");
    Files.writeString(dir.resolve("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    p.run("openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "server.crt", "-days", "2", "-extfile", "server.ext");
    // clients, one per key format
    p.run("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "pkcs8.key");
    p.run("openssl", "genrsa", "-traditional", "-out", "pkcs1.key", "2048");
    p.run("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec.key");
    for (String k : List.of("pkcs8", "pkcs1", "ec")) {
      p.run("openssl", "req", "-new", "-key", k + ".key", "-out", k + ".csr", "-subj", "/CN=admin-" + k + "/O=system:masters");
      p.run("openssl", "x509", "-req", "-in", k + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
          "-out", k + ".crt", "-days", "2");
    }
    return p;
  }

  String read(String name) throws IOException {
    return Files.readString(dir.resolve(name));
  }

  private void run(String... cmd) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(List.of(cmd))).directory(dir.toFile()).redirectErrorStream(true);
    Process proc = pb.start();
    String out = new String(proc.getInputStream().readAllBytes());
    if (!proc.waitFor(60, TimeUnit.SECONDS) || proc.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
    }
  }
}
