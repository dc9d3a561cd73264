package kubelab.shell.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import kubelab.container.LinuxRuntime;
import kubelab.container.image.OciImageStore;
import kubelab.container.state.ContainerRecord;
import kubelab.container.state.StateStore;
import kubelab.shell.Main;
import kubelab.testkit.Requires;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The curriculum's image experiments typed as a learner types them (CURRICULUM fs.commit,
 * fs.init-layer, img.export-import, img.dangling, df.entrypoint, df.no-command, df.build-cache,
 * fs.layer-per-instruction), through the whole command line on real containers. Needs root.
 */
class CurriculumImageExperimentsTest {
  Path root;
  Path ctx;

  record Run(int code, String out, String err) {}

  Run lab(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> a = new ArrayList<>(Arrays.asList(args));
    int at = a.get(0).equals("image") ? 2 : 1; // --root goes right after the (sub)command
    a.add(at, "--root");
    a.add(at + 1, root.toString());
    int code = Main.execute(new PrintWriter(out), new PrintWriter(err), a.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  @BeforeEach
  void setUp() throws Exception {
    Requires.root();
    Requires.file(Path.of("/bin/busybox"), "the built-in image");
    root = Files.createTempDirectory("kubelab-curriculum");
    ctx = Files.createTempDirectory("kubelab-ctx");
    Stdio.stdoutIsTerminal = () -> false;
  }

  @AfterEach
  void tearDown() {
    Stdio.out = System.out;
    if (root == null) return;
    LinuxRuntime rt = new LinuxRuntime(root, new OciImageStore(root));
    for (ContainerRecord r : rt.list(true)) {
      try {
        rt.remove(r.id, true);
      } catch (RuntimeException e) {
        // keep going
      }
    }
    rt.gc(); // these runs use the default bridge network: lab0 goes when no container uses it
    StateStore.deleteTree(root);
    StateStore.deleteTree(ctx);
  }

  @Test
  void commitExportImportAndTheInitLayer() throws Exception {
    assertEquals(0, lab("run", "-d", "--name", "h", "--hostname", "special", "busybox", "sleep", "1000").code);
    assertEquals(0, lab("exec", "h", "sh", "-c", "echo v2 > /ver").code);
    Run commit = lab("commit", "h", "img:v2");
    assertEquals(0, commit.code, commit.err);
    assertTrue(commit.out.strip().matches("sha256:[0-9a-f]{64}"), commit.out);
    // fs.commit: one new layer on top of busybox's history
    List<String> history = lab("image", "history", "img:v2").out.lines().toList();
    assertEquals(4, history.size(), history.toString());
    assertTrue(history.get(1).contains("sleep 1000") && history.get(1).matches(".* [1-9][0-9]*B\\s*$"), history.get(1));
    // fs.init-layer: the hostname was not committed
    Run hostname = lab("run", "--rm", "img:v2", "cat", "/etc/hostname");
    assertNotEquals("special", hostname.out.strip());
    assertEquals("v2", lab("run", "--rm", "img:v2", "cat", "/ver").out.strip());
    // img.export-import: export flattens, import makes one layer with no CMD
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    Stdio.out = tar;
    assertEquals(0, lab("export", "h").code);
    Path c = Files.write(ctx.resolve("c.tar"), tar.toByteArray());
    assertEquals(0, lab("image", "import", c.toString(), "flat:1").code);
    List<String> flat = lab("image", "history", "flat:1").out.lines().toList();
    assertEquals(2, flat.size(), "header + one layer: " + flat);
    assertEquals("<no value>", lab("image", "inspect", "flat:1", "-f", "Config.Cmd").out.strip());
    Run rm = lab("image", "rm", "img:v2");
    assertEquals(0, rm.code, "no container uses img:v2 (h runs busybox): " + rm.err);
  }

  @Test
  void entrypointCmdAndTheBuildCache() throws Exception {
    Files.writeString(ctx.resolve("Dockerfile"), "FROM busybox\nRUN echo built > /built\nENTRYPOINT [\"echo\",\"hello\"]\nCMD [\"world\"]\n");
    Run first = lab("image", "build", "-t", "greeter", ctx.toString());
    assertEquals(0, first.code, first.err);
    Run second = lab("image", "build", "-t", "greeter", ctx.toString());
    assertEquals(3, second.out.split(" ---> Using cache").length - 1, second.out);
    assertEquals("hello world\n", lab("run", "--rm", "greeter").out);
    assertEquals("hello you\n", lab("run", "--rm", "greeter", "you").out);
    assertTrue(lab("image", "inspect", "greeter", "-f", "Config.Entrypoint").out.contains("hello"));
  }

  @Test
  void scratchWithCopyOnlyNeedsACommand() throws Exception {
    Files.copy(Path.of("/bin/busybox"), ctx.resolve("busybox"));
    Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nCOPY busybox /bin/busybox\n");
    assertEquals(0, lab("image", "build", "-t", "min", ctx.toString()).code);
    Run none = lab("run", "--rm", "min");
    assertNotEquals(0, none.code);
    assertTrue(none.err.contains("no command specified"), none.err);
    assertEquals(0, lab("run", "--rm", "min", "/bin/busybox", "true").code);
  }

  @Test
  void rebuildingATagLeavesADanglingImage() throws Exception {
    Files.writeString(ctx.resolve("app.sh"), "v1");
    Files.writeString(ctx.resolve("Dockerfile"), "FROM busybox\nCOPY app.sh /app.sh\nCMD [\"cat\",\"/app.sh\"]\n");
    assertEquals(0, lab("image", "build", "-t", "app:1", ctx.toString()).code);
    Files.writeString(ctx.resolve("app.sh"), "v2");
    Run rebuild = lab("image", "build", "-t", "app:1", ctx.toString());
    assertEquals(0, rebuild.out.split(" ---> Using cache").length - 1, "the edited COPY and every later step rebuild: " + rebuild.out);
    String ls = lab("image", "ls").out;
    assertTrue(ls.lines().anyMatch(l -> l.startsWith("<none>       <none>")), ls);
    assertEquals("v2", lab("run", "--rm", "app:1").out);
  }
}
