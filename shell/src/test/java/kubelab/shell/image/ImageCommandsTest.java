package kubelab.shell.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kubelab.shell.Main;
import kubelab.testkit.Requires;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The `lab image` commands end to end through picocli, as a learner types them. */
class ImageCommandsTest {
  @TempDir Path tmp;
  String root;

  record Run(int code, String out, String err) {}

  Run lab(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    List<String> a = new ArrayList<>(List.of(args));
    if (a.size() >= 2 && a.get(0).equals("image")) {
      a.add(2, "--root");
      a.add(3, root);
    }
    int code = Main.execute(new PrintWriter(out), new PrintWriter(err), a.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  @BeforeEach
  void setUp() {
    root = tmp.resolve("root").toString();
    Stdio.stdoutIsTerminal = () -> false;
  }

  @AfterEach
  void restore() {
    Stdio.in = System.in;
    Stdio.out = System.out;
  }

  @Test
  void lsPrintsDockersColumns() {
    Requires.file(Path.of("/bin/busybox"), "the built-in image");
    assertEquals(0, lab("image", "history", "busybox").code);
    Run r = lab("image", "ls");
    assertEquals(0, r.code, r.err);
    String[] lines = r.out.split("\n");
    assertEquals("REPOSITORY   TAG       IMAGE ID       CREATED", lines[0].substring(0, 45));
    assertTrue(lines[0].endsWith("SIZE"), lines[0]);
    assertTrue(lines[1].startsWith("busybox      latest    "), lines[1]);
    assertTrue(lines[1].matches(".*[0-9a-f]{12}.*MB$"), lines[1]);
  }

  @Test
  void historyShowsEmptyLayersAsZeroBytes() {
    Requires.file(Path.of("/bin/busybox"), "the built-in image");
    Run r = lab("image", "history", "busybox");
    assertEquals(0, r.code, r.err);
    String[] lines = r.out.split("\n");
    assertTrue(lines[0].startsWith("IMAGE          CREATED        CREATED BY"), lines[0]);
    assertTrue(lines[1].contains("CMD [\"sh\"]") && lines[1].contains(" 0B"), lines[1]);
    assertTrue(lines[2].startsWith("<missing>") && lines[2].contains("MB"), lines[2]);
    assertTrue(lines[2].contains("…"), "CREATED BY truncated at 45: " + lines[2]);
  }

  @Test
  void inspectFormatsPickOneField() {
    Requires.file(Path.of("/bin/busybox"), "the built-in image");
    Run id = lab("image", "inspect", "busybox", "-f", "Id");
    assertTrue(id.out.strip().matches("sha256:[0-9a-f]{64}"), id.out);
    assertEquals(id.out, lab("image", "inspect", "busybox", "-f", "{{.Id}}").out);
    Run layers = lab("image", "inspect", "busybox", "-f", "RootFS.Layers");
    assertTrue(layers.out.contains("sha256:"), layers.out);
    Run gd = lab("image", "inspect", "busybox", "-f", "GraphDriver");
    assertTrue(gd.out.contains("\"Name\" : \"overlay2\"") && gd.out.contains("/images/layers/"), gd.out);
    Run bad = lab("image", "inspect", "busybox", "-f", "Nope");
    assertEquals(1, bad.code);
    assertTrue(bad.err.startsWith("lab: template: no field \"Nope\""), bad.err);
    Run full = lab("image", "inspect", "busybox");
    assertTrue(full.out.startsWith("[") && full.out.contains("\"RepoTags\""), full.out);
  }

  @Test
  void exportImportFlatImageHasOneLayerAndNoCmd() throws Exception {
    Path rootfs = Files.createDirectories(tmp.resolve("rootfs/etc"));
    Files.writeString(rootfs.resolve("motd"), "hi");
    byte[] tar = new ProcessBuilder("tar", "-C", tmp.resolve("rootfs").toString(), "-c", ".").start().getInputStream().readAllBytes();
    Stdio.in = new ByteArrayInputStream(tar);
    Run imp = lab("image", "import", "-", "flat:1");
    assertEquals(0, imp.code, imp.err);
    assertTrue(imp.out.strip().matches("sha256:[0-9a-f]{64}"), imp.out);
    Run hist = lab("image", "history", "flat:1");
    assertEquals(2, hist.out.strip().split("\n").length, "one layer: " + hist.out);
    assertTrue(hist.out.contains("Imported from -"), hist.out);
    assertEquals("<no value>", lab("image", "inspect", "flat:1", "-f", "Config.Cmd").out.strip());
  }

  @Test
  void importChangesSetTheConfigLikeDockerImportC() throws Exception {
    Path rootfs = Files.createDirectories(tmp.resolve("rootfs2"));
    Files.writeString(rootfs.resolve("f"), "x");
    Run r = lab("image", "import", "-c", "CMD [\"sh\"]", "-c", "ENV A=1", "-c", "EXPOSE 80", rootfs.toString(), "withcmd:1");
    assertEquals(0, r.code, r.err);
    assertEquals("[ \"sh\" ]", lab("image", "inspect", "withcmd:1", "-f", "Config.Cmd").out.strip());
    assertTrue(lab("image", "inspect", "withcmd:1", "-f", "Config.ExposedPorts").out.contains("80/tcp"));
    Run bad = lab("image", "import", "-c", "RUN true", rootfs.toString(), "x:1");
    assertEquals(1, bad.code);
    assertTrue(bad.err.contains("RUN is not allowed"), bad.err);
  }

  @Test
  void saveToStdoutIsATarWithIndexAndBlobs() throws Exception {
    Requires.file(Path.of("/bin/busybox"), "the built-in image");
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    Stdio.out = sink;
    Run r = lab("image", "save", "busybox");
    assertEquals(0, r.code, r.err);
    Path tar = Files.write(tmp.resolve("b.tar"), sink.toByteArray());
    Process p = new ProcessBuilder("tar", "tf", tar.toString()).start();
    String names = new String(p.getInputStream().readAllBytes());
    assertTrue(names.contains("index.json") && names.contains("blobs/sha256/"), names);
  }

  @Test
  void saveRefusesATerminal() {
    Stdio.stdoutIsTerminal = () -> true;
    Run r = lab("image", "save", "busybox");
    assertEquals(1, r.code);
    assertTrue(r.err.contains("cowardly refusing") && r.err.contains("-o"), r.err);
  }

  @Test
  void unknownImagesAndBadNamesAreOneLineErrors() {
    for (String[] args : List.of(new String[] {"image", "history", "nosuch"}, new String[] {"image", "rm", "Bad"},
        new String[] {"image", "inspect", "x:"}, new String[] {"image", "tag", "nosuch", "y"})) {
      Run r = lab(args);
      assertEquals(1, r.code, String.join(" ", args));
      assertEquals(1, r.err.strip().split("\n").length, r.err);
      assertTrue(r.err.startsWith("lab: "), r.err);
      assertFalse(r.err.contains("\tat "), r.err);
    }
  }

  @Test
  void rmOfTheLastTagDeletesAndPrintsDockersLines() throws Exception {
    Requires.file(Path.of("/bin/busybox"), "the built-in image");
    lab("image", "tag", "busybox", "mine:1");
    Run r = lab("image", "rm", "mine:1");
    assertEquals("Untagged: mine:1\n", r.out);
    Run r2 = lab("image", "rm", "busybox");
    assertTrue(r2.out.startsWith("Untagged: busybox:latest\nDeleted: sha256:"), r2.out);
    assertEquals(1, lab("image", "ls").out.strip().split("\n").length, "only the header");
  }

  @Test
  void humanSizesAndAgesMatchDocker() {
    assertEquals("0B", Human.size(0));
    assertEquals("999B", Human.size(999));
    assertEquals("1kB", Human.size(1000));
    assertEquals("4.26MB", Human.size(4_261_550));
    assertEquals("1.98MB", Human.size(1_982_256));
    assertEquals("Less than a second", Human.duration(java.time.Duration.ofMillis(300)));
    assertEquals("About a minute", Human.duration(java.time.Duration.ofSeconds(90)));
    assertEquals("About an hour", Human.duration(java.time.Duration.ofMinutes(80)));
    assertEquals("3 days", Human.duration(java.time.Duration.ofDays(3)));
    assertEquals("2 weeks", Human.duration(java.time.Duration.ofDays(15)));
    assertEquals("6 months", Human.duration(java.time.Duration.ofDays(190)));
  }
}
