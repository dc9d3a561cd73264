package kubelab.container.image;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import kubelab.container.image.oci.ConfigJson;
import kubelab.container.image.tar.TarEntry;
import kubelab.container.image.tar.TarWriter;

/**
 * The built-in {@code busybox:latest}: the host's static busybox (Debian's busybox-static) at
 * {@code /bin/busybox}, one symlink per applet at the path {@code busybox --list-full} gives
 * ({@code bin/sh}, {@code usr/bin/awk}, ...), a minimal {@code /etc/passwd} and {@code /etc/group},
 * and the usual empty directories. Config: Docker's default PATH and {@code CMD ["sh"]}, like
 * Docker Hub's busybox.
 *
 * <p>The image is deterministic: every member's time, and the config's created time, is the
 * binary's modification time; members are sorted; owners are root. So the same busybox binary
 * always gives the same layer digest and the same image id, across runs and machines, and a
 * busybox upgrade gives a new id. Made on first use ({@code resolve("busybox")}), under the
 * store's lock, so concurrent first uses make it once.
 */
final class BusyboxImage {
  private BusyboxImage() {}

  // A minimal account database in the shape of Docker Hub's busybox image.
  private static final String PASSWD = String.join("\n",
      "root:x:0:0:root:/root:/bin/sh",
      "daemon:x:1:1:daemon:/usr/sbin:/bin/false",
      "bin:x:2:2:bin:/bin:/bin/false",
      "sys:x:3:3:sys:/dev:/bin/false",
      "www-data:x:33:33:www-data:/var/www:/bin/false",
      "nobody:x:65534:65534:nobody:/home:/bin/false", "");
  private static final String GROUP = String.join("\n",
      "root:x:0:", "daemon:x:1:", "bin:x:2:", "sys:x:3:", "tty:x:5:", "www-data:x:33:", "users:x:100:",
      "nogroup:x:65534:", "");
  private static final Map<String, Integer> DIRS = Map.ofEntries(
      Map.entry("bin", 0755), Map.entry("dev", 0755), Map.entry("etc", 0755), Map.entry("home", 0755),
      Map.entry("proc", 0555), Map.entry("root", 0700), Map.entry("sbin", 0755), Map.entry("sys", 0555),
      Map.entry("tmp", 01777), Map.entry("usr", 0755), Map.entry("usr/bin", 0755), Map.entry("usr/sbin", 0755),
      Map.entry("var", 0755), Map.entry("var/www", 0755));

  /** Creates busybox:latest in {@code store} unless it is there. */
  static void ensure(OciImageStore store) {
    store.write(() -> {
      if (store.find(Params.BUSYBOX_REF) != null) return null;
      Path busybox = findStaticBusybox();
      long mtime = Files.getLastModifiedTime(busybox).toInstant().getEpochSecond();
      Instant created = Instant.ofEpochSecond(mtime);
      Path tar = store.layout().newTempFile("busybox-", ".tar");
      try {
        try (OutputStream os = new java.io.BufferedOutputStream(Files.newOutputStream(tar));
             TarWriter w = new TarWriter(os)) {
          writeLayer(w, busybox, mtime);
        }
        OciImageStore.StoredLayer layer = store.storeLayerTar(tar, null);
        ImageConfig ic = new ImageConfig(List.of(Params.DEFAULT_PATH), null, List.of("sh"), null, null, Map.of(), null, null);
        ObjectNode cfg = ConfigJson.derive(null, ic, created, layer.diffId(),
            new ConfigJson.History(created, "lab: " + version(busybox) + " from " + busybox
                + " with one symlink per applet", "KubeLab built-in image", false));
        ObjectNode withCmd = ConfigJson.derive(cfg, ic, created, null,
            new ConfigJson.History(created, "/bin/sh -c #(nop)  CMD [\"sh\"]", null, true));
        store.create(null, List.of(layer), withCmd, Params.BUSYBOX_REF, null);
      } finally {
        Files.deleteIfExists(tar);
      }
      return null;
    });
  }

  /** The layer's members, sorted, with fixed times and root ownership. */
  static void writeLayer(TarWriter w, Path busybox, long mtime) throws IOException {
    TreeMap<String, TarEntry> entries = new TreeMap<>(BusyboxImage::comparePaths);
    DIRS.forEach((d, mode) -> entries.put(d, TarEntry.dir(d, mode, mtime)));
    for (String applet : applets(busybox)) {
      if (applet.equals("bin/busybox") || !applet.contains("/")) continue; // linuxrc and the binary itself
      String parent = applet.substring(0, applet.lastIndexOf('/'));
      if (!entries.containsKey(parent)) entries.put(parent, TarEntry.dir(parent, 0755, mtime));
      entries.put(applet, TarEntry.symlink(applet, "/bin/busybox", mtime));
    }
    byte[] passwd = PASSWD.getBytes(StandardCharsets.UTF_8);
    byte[] group = GROUP.getBytes(StandardCharsets.UTF_8);
    entries.put("bin/busybox", TarEntry.file("bin/busybox", 0755, Files.size(busybox), mtime));
    entries.put("etc/group", TarEntry.file("etc/group", 0644, group.length, mtime));
    entries.put("etc/passwd", TarEntry.file("etc/passwd", 0644, passwd.length, mtime));
    for (TarEntry e : entries.values()) {
      switch (e.name()) {
        case "bin/busybox" -> {
          try (InputStream in = Files.newInputStream(busybox)) {
            w.add(e, in);
          }
        }
        case "etc/group" -> w.add(e, group);
        case "etc/passwd" -> w.add(e, passwd);
        default -> w.add(e);
      }
    }
  }

  /** Orders paths component by component (so "usr/bin" sorts right after "usr"), bytewise. */
  static int comparePaths(String a, String b) {
    String[] x = a.split("/");
    String[] y = b.split("/");
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      int c = java.util.Arrays.compareUnsigned(x[i].getBytes(StandardCharsets.UTF_8), y[i].getBytes(StandardCharsets.UTF_8));
      if (c != 0) return c;
    }
    return Integer.compare(x.length, y.length);
  }

  /** The first static busybox of {@link Params#BUSYBOX_PATHS}. */
  static Path findStaticBusybox() {
    List<String> dynamic = new ArrayList<>();
    for (String p : Params.BUSYBOX_PATHS) {
      Path path = Path.of(p);
      if (!Files.isRegularFile(path)) continue;
      if (isStaticElf(path)) return path;
      dynamic.add(p);
    }
    throw new ImageException("the built-in busybox image needs a statically linked busybox"
        + (dynamic.isEmpty() ? " and none was found" : " but " + String.join(", ", dynamic) + " is dynamically linked")
        + ": install it (Debian/Ubuntu: apt-get install busybox-static), or import an image with `lab image import`");
  }

  /** True for an ELF executable without a PT_INTERP program header (no dynamic loader). */
  static boolean isStaticElf(Path p) {
    try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "r")) {
      byte[] ident = new byte[16];
      f.readFully(ident);
      if (ident[0] != 0x7f || ident[1] != 'E' || ident[2] != 'L' || ident[3] != 'F') return false;
      boolean is64 = ident[4] == 2;
      boolean le = ident[5] == 1;
      long phoff = is64 ? readLong(f, 0x20, le) : readInt(f, 0x1c, le);
      int phentsize = readShort(f, is64 ? 0x36 : 0x2a, le);
      int phnum = readShort(f, is64 ? 0x38 : 0x2c, le);
      for (int i = 0; i < phnum; i++) {
        if (readInt(f, phoff + (long) i * phentsize, le) == 3) return false; // PT_INTERP
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static long readLong(RandomAccessFile f, long off, boolean le) throws IOException {
    long lo = readInt(f, off, le) & 0xffffffffL;
    long hi = readInt(f, off + 4, le) & 0xffffffffL;
    return le ? (hi << 32) | lo : (lo << 32) | hi;
  }

  private static int readInt(RandomAccessFile f, long off, boolean le) throws IOException {
    f.seek(off);
    int v = f.readInt();
    return le ? Integer.reverseBytes(v) : v;
  }

  private static int readShort(RandomAccessFile f, long off, boolean le) throws IOException {
    f.seek(off);
    int v = f.readUnsignedShort();
    return le ? ((v & 0xff) << 8) | (v >>> 8) : v;
  }

  /** Applet paths from {@code busybox --list-full}, sorted. */
  static List<String> applets(Path busybox) throws IOException {
    Process p = new ProcessBuilder(busybox.toString(), "--list-full").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (p.waitFor() != 0) throw new ImageException(busybox + " --list-full failed: " + out.strip());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    List<String> applets = new ArrayList<>();
    for (String line : out.split("\n")) {
      String a = line.strip();
      if (!a.isEmpty() && !a.contains("..") && !a.startsWith("/")) applets.add(a);
    }
    applets.sort(BusyboxImage::comparePaths);
    return applets;
  }

  /** "BusyBox v1.35.0 (Debian 1:1.35.0-4+deb12u1+b1)" from the binary's banner. */
  static String version(Path busybox) {
    try {
      Process p = new ProcessBuilder(busybox.toString()).redirectErrorStream(true).start();
      String first = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
      p.waitFor();
      int cut = first.indexOf(" multi-call");
      return cut > 0 ? first.substring(0, cut) : "busybox";
    } catch (IOException e) {
      return "busybox";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "busybox";
    }
  }
}
