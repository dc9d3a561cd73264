package kubelab.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import kubelab.container.image.ContainerImages;
import kubelab.container.image.Image;
import kubelab.container.image.OciImageStore;
import kubelab.container.state.ContainerRecord;
import kubelab.container.state.StateStore;
import kubelab.testkit.Requires;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code lab run --userns} (curriculum ns.user): root inside is uid 100000 outside; the image
 * layers are seen through idmapped mounts and never chowned; capabilities count only inside.
 */
class UserNamespaceTest {
  static RuntimeFixture fx;
  static final String PARENT = "kubelab-usernstest";
  static final Set<String> ids = java.util.concurrent.ConcurrentHashMap.newKeySet();
  static HostSnapshot before;

  @BeforeAll
  static void open() throws Exception {
    fx = RuntimeFixture.open(PARENT);
    Requires.that(idmappedOverlaySupported(), "needs Linux 5.19 or later (overlayfs over idmapped layers) for --userns");
    fx.run("true"); // the cgroup parents exist from here on, as they do after every test
    before = HostSnapshot.take(PARENT);
  }

  @AfterEach
  void clear() {
    if (fx != null) {
      ids.addAll(fx.rt.store().ids());
      fx.clear();
    }
  }

  @AfterAll
  static void close() {
    if (fx != null) fx.close();
  }

  static boolean idmappedOverlaySupported() {
    String[] v = System.getProperty("os.version").split("[.-]");
    int major = Integer.parseInt(v[0]), minor = Integer.parseInt(v[1]);
    return major > 5 || (major == 5 && minor >= 19);
  }

  private static ContainerSpec.Builder userns(String... cmd) {
    return ContainerSpec.builder("busybox").network(NetworkMode.NONE).userns(true).command(List.of(cmd));
  }

  @Test
  void rootInsideIsUid100000Outside_uidMap() {
    var r = fx.run(userns("cat", "/proc/self/uid_map", "/proc/self/gid_map"));
    assertEquals(0, r.exitCode(), r.err());
    List<String> lines = r.out().lines().map(l -> l.trim().replaceAll("\\s+", " ")).toList();
    assertEquals(List.of("0 100000 65536", "0 100000 65536"), lines);
    var id = fx.run(userns("id"));
    assertTrue(id.out().startsWith("uid=0(root) gid=0(root)"), id.out());
  }

  @Test
  void withoutUsernsTheMapIsTheIdentity() {
    var r = fx.run("cat", "/proc/self/uid_map");
    assertEquals("0 0 4294967295", r.out().trim().replaceAll("\\s+", " "));
  }

  @Test
  void aFileTheContainerCreatesIsOwnedBy100000OnTheHost() throws Exception {
    ContainerRecord c = fx.rt.run(userns("sh", "-c", "touch /made && mkdir -p /etc/new && echo x >> /etc/passwd").build(),
        Trace.NONE, new Attach(null, new ByteArrayOutputStream(), new ByteArrayOutputStream()));
    assertEquals(0, fx.rt.waitFor(c.id, Duration.ofSeconds(30)).exitCode());
    Path upper = Path.of(c.upperDir);
    for (String f : List.of("made", "etc/new", "etc/passwd"))
      assertEquals(100000, uid(upper.resolve(f)), f + " in the writable layer");
    // The shared image layer is untouched: still owned by root on the host.
    Path layer = Path.of(c.lowerDirs.get(c.lowerDirs.size() - 1));
    assertEquals(0, uid(layer.resolve("etc/passwd")));
    assertFalse(Files.readString(layer.resolve("etc/passwd")).endsWith("x\n"));
  }

  @Test
  void imageFilesAppearRootOwnedInside() {
    var r = fx.run(userns("stat", "-c", "%u:%g %n", "/bin/busybox", "/etc/passwd", "/etc/hosts", "/"));
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(List.of("0:0 /bin/busybox", "0:0 /etc/passwd", "0:0 /etc/hosts", "0:0 /"), r.out().lines().toList());
  }

  @Test
  void rootsCapabilitiesDoNotReachHostFilesTheNamespaceDoesNotMap() throws Exception {
    Path vol = Files.createTempDirectory("kubelab-userns-vol");
    try {
      Files.setPosixFilePermissions(vol, PosixFilePermissions.fromString("rwxr-xr-x"));
      Path secret = vol.resolve("secret");
      Files.writeString(secret, "host root only\n");
      Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
      var plain = fx.run(ContainerSpec.builder("busybox").network(NetworkMode.NONE)
          .volume(new ContainerSpec.Volume(vol.toString(), "/v", false)).command("cat", "/v/secret"));
      assertEquals("host root only\n", plain.out(), "without --userns, root's CAP_DAC_OVERRIDE is the host's");
      var mapped = fx.run(userns("sh", "-c", "grep CapEff /proc/self/status; cat /v/secret")
          .volume(new ContainerSpec.Volume(vol.toString(), "/v", false)));
      assertTrue(mapped.out().contains("CapEff:\t00000000a80425fb"), "the same capabilities inside: " + mapped.out());
      assertFalse(mapped.out().contains("host root only"), mapped.out());
      assertTrue(mapped.err().contains("Permission denied"), mapped.err());
    } finally {
      StateStore.deleteTree(vol);
    }
  }

  @Test
  void execJoinsTheUserNamespace() throws Exception {
    ContainerRecord c = fx.rt.run(userns("sleep", "1000").build(), Trace.NONE, null);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long[] pid = {0};
    int code = fx.rt.exec(c.id, new ExecSpec(List.of("sh", "-c", "id -u; cat /proc/self/uid_map; sleep 0.3"), List.of(), null, null, false),
        new Attach(null, out, new ByteArrayOutputStream()), Trace.NONE, p -> pid[0] = p);
    assertEquals(0, code);
    List<String> lines = out.toString(StandardCharsets.UTF_8).lines().map(l -> l.trim().replaceAll("\\s+", " ")).toList();
    assertEquals(List.of("0", "0 100000 65536"), lines);
    // the container's first process runs as uid 100000 on the host
    assertEquals("100000", hostUid(c.pid));
  }

  @Test
  void traceShowsTheMapsAndTheIdmappedLayers() {
    StringWriter sw = new StringWriter();
    ContainerRecord c = fx.rt.run(userns("true").build(), new Trace(new PrintWriter(sw)),
        new Attach(null, new ByteArrayOutputStream(), new ByteArrayOutputStream()));
    fx.rt.waitFor(c.id, Duration.ofSeconds(30));
    String t = sw.toString();
    List<String> order = List.of("CLONE_NEWUSER", "uid_map \"0 100000 65536\"", "gid_map \"0 100000 65536\"",
        "MOUNT_ATTR_IDMAP", "SCM_RIGHTS", "setresuid(0, 0, 0)", "move_mount", "userxattr", "pivot_root", "execve");
    int at = -1;
    for (String s : order) {
      int i = t.indexOf(s, at + 1);
      assertTrue(i > at, "\"" + s + "\" after the previous step in:\n" + t);
      at = i;
    }
  }

  @Test
  void commitMapsTheOwnersBackToTheImagesIds() throws Exception {
    ContainerRecord c = fx.rt.run(userns("sh", "-c", "echo hi > /made").build(), Trace.NONE,
        new Attach(null, new ByteArrayOutputStream(), new ByteArrayOutputStream()));
    fx.rt.waitFor(c.id, Duration.ofSeconds(30));
    OciImageStore store = new OciImageStore(fx.root);
    Image img = ContainerImages.commit(fx.rt, store, c.id, "userns-commit:1", null, null, List.of(), false);
    try {
      Path top = store.layerDirs(img).stream().filter(d -> Files.exists(d.resolve("made"))).findFirst().orElseThrow();
      assertEquals(0, uid(top.resolve("made")), "the committed layer as if the image's root made it");
      var r = fx.run(ContainerSpec.builder("userns-commit:1").network(NetworkMode.NONE).command("stat", "-c", "%u %n", "/made"));
      assertEquals("0 /made\n", r.out());
    } finally {
      fx.clear();
      store.remove("userns-commit:1", true, Set.of());
    }
  }

  @Test
  void theHostsNamespacesCannotBeShared() {
    ContainerException e = assertThrows(ContainerException.class,
        () -> fx.rt.create(ContainerSpec.builder("busybox").network(NetworkMode.HOST).userns(true).command("true").build()));
    assertTrue(e.getMessage().contains("--userns cannot share"), e.getMessage());
    assertEquals(List.of(), fx.rt.list(true), "nothing was made");
  }

  @Test
  void usernsContainersLeaveNothingBehind() throws Exception {
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      ContainerRecord c = fx.rt.run(userns("sleep", "1000").network(i % 2 == 0 ? NetworkMode.BRIDGE : NetworkMode.NONE).build(),
          Trace.NONE, null);
      made.add(c.id);
      ids.add(c.id);
      fx.rt.remove(c.id, true);
    }
    fx.rt.gc();
    List<String> d = List.of();
    for (int i = 0; i < 250; i++) {
      d = before.leaks(HostSnapshot.take(PARENT), ids);
      if (d.isEmpty()) break;
      Thread.sleep(20);
    }
    assertEquals(List.of(), d);
    for (String id : made) assertFalse(Files.exists(fx.rt.store().dir(id)), "directory of " + id);
    assertEquals(List.of(), processesOf(100000), "no process of uid 100000 is left");
  }

  private static int uid(Path p) throws Exception {
    return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
  }

  private static String hostUid(long pid) throws Exception {
    for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status")))
      if (l.startsWith("Uid:")) return l.split("\\s+")[1];
    return "?";
  }

  /** Processes on the host whose real uid is {@code uid} (the container's root). */
  private static List<String> processesOf(int uid) throws Exception {
    List<String> out = new ArrayList<>();
    try (var s = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) s::iterator) {
        if (!p.getFileName().toString().matches("\\d+")) continue;
        try {
          if (hostUid(Long.parseLong(p.getFileName().toString())).equals(Integer.toString(uid)))
            out.add(p.getFileName() + " " + Files.readString(p.resolve("comm")).trim());
        } catch (java.io.IOException e) {
          // gone meanwhile
        }
      }
    }
    return out;
  }
}
