package kubelab.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a container sees of the host: namespaces, capabilities and the root filesystem. */
class IsolationTest {
  static RuntimeFixture fx;

  @BeforeAll
  static void open() throws Exception {
    fx = RuntimeFixture.open();
  }

  @AfterEach
  void clear() {
    if (fx != null) fx.clear();
  }

  @AfterAll
  static void close() {
    if (fx != null) fx.close();
  }

  @Test
  void theCommandIsPid1InItsOwnPidNamespace() {
    var r = fx.run("sh", "-c", "echo $$; cat /proc/1/comm; true"); // "; true": ash would exec a last lone command
    assertEquals(0, r.exitCode(), r.err());
    assertEquals("1\nsh\n", r.out());
  }

  @Test
  void hostProcessesAreInvisible() {
    var r = fx.run("sh", "-c", "ls -d /proc/[0-9]* | wc -l");
    assertEquals(0, r.exitCode(), r.err());
    // sh, ls and wc at most; the host has hundreds, and this JVM is not among them
    assertTrue(Integer.parseInt(r.out().trim()) <= 4, r.out());
    var self = fx.run("sh", "-c", "test -e /proc/" + ProcessHandle.current().pid() + "/cmdline && echo visible || echo hidden");
    assertTrue(ProcessHandle.current().pid() < 5 || self.out().trim().equals("hidden"), self.out());
  }

  @Test
  void theHostnameIsTheContainers() {
    var r = fx.run(ContainerSpec.builder("busybox").network(NetworkMode.NONE).hostname("web").command("hostname"));
    assertEquals("web\n", r.out());
    var h = fx.run(ContainerSpec.builder("busybox").network(NetworkMode.NONE).hostname("web").command("cat", "/etc/hostname"));
    assertEquals("web\n", h.out());
  }

  @Test
  void netNoneHasOnlyLoopback() {
    var r = fx.run("ip", "-o", "link");
    assertEquals(0, r.exitCode(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(1, lines.size(), r.out());
    assertTrue(lines.get(0).contains(": lo:"), r.out());
  }

  @Test
  void bridgeModeGivesEth0AnAddressInTheSubnet() {
    var r = fx.run(ContainerSpec.builder("busybox").network(NetworkMode.BRIDGE).command("ip", "-o", "-4", "addr", "show", "eth0"));
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("inet 10.77."), r.out());
  }

  @Test
  void theVethIsPluggedIntoLab0AndContainersReachEachOther() throws Exception {
    var server = fx.rt.run(ContainerSpec.builder("busybox").network(NetworkMode.BRIDGE).command("sleep", "1000").build(), Trace.NONE, null);
    Path veth = Path.of("/sys/class/net", server.veth);
    assertEquals(Params.BRIDGE_NAME, Files.readSymbolicLink(veth.resolve("master")).getFileName().toString(), "attached to lab0");
    int flags = Integer.decode(Files.readString(veth.resolve("flags")).trim());
    assertTrue((flags & 1) != 0, "the host end is up (IFF_UP)");
    var ping = fx.run(ContainerSpec.builder("busybox").network(NetworkMode.BRIDGE).command("ping", "-c", "1", "-W", "3", server.ip));
    assertEquals(0, ping.exitCode(), ping.out() + ping.err());
    assertTrue(ping.out().contains("1 packets received"), ping.out());
  }

  @Test
  void capabilitiesAreReducedToDockersDefaultSet() {
    var r = fx.run("grep", "CapEff", "/proc/self/status");
    assertEquals("CapEff:\t00000000a80425fb\n", r.out());
    var date = fx.run("sh", "-c", "date -s 2000-01-01 2>&1 >/dev/null");
    assertTrue(date.out().contains("Operation not permitted"), date.out());
  }

  @Test
  void writesToRootStayInTheWritableLayer() throws Exception {
    var spec = ContainerSpec.builder("busybox").network(NetworkMode.NONE).command("sh", "-c", "echo hi > /hello; rm /bin/ls").build();
    var c = fx.rt.create(spec);
    fx.rt.start(c.id, Trace.NONE, null);
    assertEquals(0, fx.rt.waitFor(c.id, null).exitCode());
    Path upper = Path.of(c.upperDir);
    assertEquals("hi\n", Files.readString(upper.resolve("hello")));
    // the deletion is a whiteout (a 0/0 character device) in the upper layer; the image is unchanged
    assertTrue(Files.exists(upper.resolve("bin/ls"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
    for (String l : c.lowerDirs) {
      assertFalse(Files.exists(Path.of(l, "hello")), "a lower layer was written: " + l);
    }
    assertTrue(c.lowerDirs.stream().skip(1).anyMatch(l -> Files.exists(Path.of(l, "bin/ls"), java.nio.file.LinkOption.NOFOLLOW_LINKS)));
  }

  @Test
  void theRootCanBeReadOnlyAndVolumesAreBindMounted() throws Exception {
    Path vol = Files.createTempDirectory("kubelab-vol");
    try {
      var r = fx.run(ContainerSpec.builder("busybox").network(NetworkMode.NONE).readOnly(true)
          .volume(new ContainerSpec.Volume(vol.toString(), "/data", false))
          .command("sh", "-c", "echo x > /data/x && (touch /nope 2>&1 || true)"));
      assertTrue(r.out().contains("Read-only file system"), r.out());
      assertEquals("x\n", Files.readString(vol.resolve("x")));
      var ro = fx.run(ContainerSpec.builder("busybox").network(NetworkMode.NONE)
          .volume(new ContainerSpec.Volume(vol.toString(), "/data", true)).command("sh", "-c", "touch /data/y 2>&1"));
      assertTrue(ro.out().contains("Read-only file system"), ro.out());
    } finally {
      kubelab.container.state.StateStore.deleteTree(vol);
    }
  }

  @Test
  void theSensitiveProcPathsAreMasked() {
    var r = fx.run("sh", "-c", "grep -c ' /proc/timer_list ' /proc/self/mountinfo; wc -c < /proc/timer_list; (echo x > /proc/sys/kernel/hostname) 2>&1");
    assertTrue(r.out().startsWith("1\n0\n"), "timer_list is /dev/null: " + r.out());
    assertTrue(r.out().contains("Read-only file system"), r.out());
  }
}
