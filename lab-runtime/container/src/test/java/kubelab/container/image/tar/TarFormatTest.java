package kubelab.container.image.tar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tar reader and writer against each other and against GNU tar (ustar, pax, gnu formats). */
class TarFormatTest {
  @TempDir Path tmp;

  static final String LONG = "a/" + "very-long-directory-name-".repeat(8) + "/file-with-a-long-name-" + "x".repeat(120);

  @Test
  void whatTheWriterWritesTheReaderReadsBack() throws Exception {
    byte[] cap = {1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}; // binary xattr value
    List<TarEntry> in = List.of(
        TarEntry.dir("d", 0755, 1_700_000_000L),
        new TarEntry("d/suid", TarEntry.Type.FILE, 04755, 0, 0, 3, 1, null, 0, 0, Map.of("security.capability", cap)),
        TarEntry.file(LONG, 0644, 5, 2),
        TarEntry.file("ünïcødé/名前.txt", 0600, 1, 3),
        new TarEntry("big-ids", TarEntry.Type.FILE, 0644, 3_000_000, 4_000_000, 0, 4, null, 0, 0, null),
        TarEntry.symlink("link", "/" + "t".repeat(150), 5),
        new TarEntry("hard", TarEntry.Type.HARDLINK, 0644, 0, 0, 0, 6, "d/suid", 0, 0, null),
        new TarEntry("dev/null", TarEntry.Type.CHAR, 0666, 0, 0, 0, 7, null, 1, 3, null),
        new TarEntry("fifo", TarEntry.Type.FIFO, 0644, 0, 0, 0, 8, null, 0, 0, null));
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (TarWriter w = new TarWriter(b)) {
      for (TarEntry e : in) w.add(e, new byte[(int) e.size()]);
    }
    List<TarEntry> out = new ArrayList<>();
    TarReader r = new TarReader(new ByteArrayInputStream(b.toByteArray()));
    for (TarEntry e; (e = r.next()) != null; ) out.add(e);
    assertEquals(in.size(), out.size());
    for (int i = 0; i < in.size(); i++) {
      TarEntry x = in.get(i);
      TarEntry y = out.get(i);
      assertEquals(x.name(), y.name());
      assertEquals(x.type(), y.type());
      assertEquals(x.mode(), y.mode(), x.name());
      assertEquals(x.uid(), y.uid(), x.name());
      assertEquals(x.gid(), y.gid(), x.name());
      assertEquals(x.size(), y.size());
      assertEquals(x.mtimeSeconds(), y.mtimeSeconds());
      assertEquals(x.linkName(), y.linkName());
      assertEquals(x.devMajor(), y.devMajor());
      assertEquals(x.devMinor(), y.devMinor());
      assertEquals(x.xattrs().keySet(), y.xattrs().keySet());
    }
    assertArrayEquals(cap, out.get(1).xattrs().get("security.capability"));
  }

  @Test
  void gnuTarListsWhatTheWriterWrites() throws Exception {
    Path f = tmp.resolve("w.tar");
    try (TarWriter w = new TarWriter(Files.newOutputStream(f))) {
      w.add(TarEntry.dir("dir", 0755, 0));
      w.add(TarEntry.file(LONG, 0644, 2, 0), "hi".getBytes(StandardCharsets.UTF_8));
      w.add(TarEntry.symlink("dir/sh", "/bin/busybox", 0));
    }
    Path x = Files.createDirectory(tmp.resolve("x"));
    run("tar", "-C", x.toString(), "-xf", f.toString());
    assertEquals("hi", Files.readString(x.resolve(LONG)));
    assertEquals("/bin/busybox", Files.readSymbolicLink(x.resolve("dir/sh")).toString());
  }

  @Test
  void theReaderReadsGnuTarInEachFormat() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src").resolve(LONG).getParent());
    Files.writeString(tmp.resolve("src").resolve(LONG), "long");
    Files.writeString(tmp.resolve("src/short"), "short");
    for (String format : List.of("gnu", "pax", "oldgnu")) {
      Path f = tmp.resolve(format + ".tar");
      run("tar", "--format=" + format, "-C", tmp.resolve("src").toString(), "-cf", f.toString(), ".");
      List<String> names = new ArrayList<>();
      String longContent = null;
      try (TarReader r = new TarReader(Files.newInputStream(f))) {
        for (TarEntry e; (e = r.next()) != null; ) {
          names.add(e.name());
          if (e.name().equals(LONG)) longContent = new String(r.content().readAllBytes(), StandardCharsets.UTF_8);
        }
      }
      assertTrue(names.contains(LONG), format + ": " + names);
      assertTrue(names.contains("short"), format + ": " + names);
      assertEquals("long", longContent, format);
    }
  }

  @Test
  void aDamagedHeaderIsACheckumErrorNotGarbage() throws Exception {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (TarWriter w = new TarWriter(b)) {
      w.add(TarEntry.file("a", 0644, 1, 0), new byte[] {'x'});
      w.add(TarEntry.file("b", 0644, 1, 0), new byte[] {'y'});
    }
    byte[] bytes = b.toByteArray();
    bytes[1024 + 10] ^= 0x40; // inside the second header's name field
    TarReader r = new TarReader(new ByteArrayInputStream(bytes));
    assertEquals("a", r.next().name());
    TarReader.TarFormatException e = assertThrows(TarReader.TarFormatException.class, r::next);
    assertTrue(e.getMessage().contains("checksum") && e.getMessage().contains("after \"a\""), e.getMessage());
  }

  @Test
  void outputIsDeterministic() throws Exception {
    byte[][] runs = new byte[2][];
    for (int i = 0; i < 2; i++) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      try (TarWriter w = new TarWriter(b)) {
        w.add(TarEntry.file(LONG, 0644, 1, 42), new byte[] {1});
      }
      runs[i] = b.toByteArray();
    }
    assertArrayEquals(runs[0], runs[1]);
  }

  private static void run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
  }
}
