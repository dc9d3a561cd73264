package kubelab.shell.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kubelab.shell.Main;
import kubelab.store.server.Peers;
import kubelab.store.server.StoreServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The etcdctl-like client against a real 3-member store on loopback: output shapes as etcdctl
 * 3.4 prints them, and one-line errors for bad input.
 */
class StoreCommandsTest {
  @TempDir static Path tmp;
  static final List<StoreServer> servers = new ArrayList<>();
  static String endpoints;
  static Peers peers;

  record Result(int code, String out, String err) {}

  @BeforeAll
  static void startCluster() throws Exception {
    List<Integer> ports = new ArrayList<>();
    List<ServerSocket> ss = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
      ss.add(s);
      ports.add(s.getLocalPort());
    }
    for (ServerSocket s : ss) s.close();
    Map<String, InetSocketAddress> m = new LinkedHashMap<>();
    for (int i = 0; i < 3; i++) m.put("s" + (i + 1), InetSocketAddress.createUnresolved("127.0.0.1", ports.get(i)));
    peers = Peers.of(m);
    for (Peers.Peer p : peers.byId().values()) {
      servers.add(StoreServer.start(p.name(), peers, tmp.resolve(p.name()), p.address(), l -> {},
          c -> c.withTiming(Duration.ofMillis(20), 10, Duration.ofSeconds(5)).withWalSegmentBytes(1 << 20)));
    }
    endpoints = "127.0.0.1:" + ports.get(0) + ",127.0.0.1:" + ports.get(1) + ",127.0.0.1:" + ports.get(2);
  }

  @AfterAll
  static void stopCluster() {
    servers.forEach(StoreServer::close);
  }

  static Result lab(String... args) {
    return labWithInput(null, args);
  }

  static synchronized Result labWithInput(String stdin, String... args) {
    StringWriter out = new StringWriter(), err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    if (args.length > 1 && args[0].equals("store") && !args[1].equals("serve")) {
      all.add(args[1].equals("lease") ? 3 : 2, "--endpoints=" + endpoints);
    }
    InputStream saved = System.in;
    try {
      if (stdin != null) System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
      return new Result(code, out.toString(), err.toString());
    } finally {
      System.setIn(saved);
    }
  }

  @Test
  void putThenGetPrintsTheKeyAndThenTheValue() {
    Result put = lab("store", "put", "/registry/configmaps/default/a", "{\"data\":1}");
    assertEquals(0, put.code(), put.err());
    assertEquals("OK\n", put.out());
    assertEquals("/registry/configmaps/default/a\n{\"data\":1}\n", lab("store", "get", "/registry/configmaps/default/a").out());
  }

  @Test
  void aPrefixGetListsKeysInOrderAndKeysOnlyLeavesBlankValueLines() {
    lab("store", "put", "/registry/pods/ns1/b", "2");
    lab("store", "put", "/registry/pods/ns1/a", "1");
    assertEquals("/registry/pods/ns1/a\n1\n/registry/pods/ns1/b\n2\n", lab("store", "get", "--prefix", "/registry/pods/ns1/").out());
    assertEquals("/registry/pods/ns1/a\n\n/registry/pods/ns1/b\n\n",
        lab("store", "get", "--prefix", "/registry/pods/ns1/", "--keys-only").out());
  }

  @Test
  void jsonOutputCarriesModRevisionAndBase64KeysAsEtcdctlDoes() {
    lab("store", "put", "/j", "v");
    String json = lab("store", "get", "/j", "-w", "json").out();
    Matcher m = Pattern.compile("\"mod_revision\":(\\d+)").matcher(json);
    assertTrue(m.find(), json);
    assertTrue(json.contains("\"key\":\"L2o=\""), json); // base64 of "/j"
    assertTrue(json.contains("\"value\":\"dg==\""), json);
    assertTrue(json.contains("\"count\":1"), json);
    String json2 = lab("store", "get", "/j", "-w", "json").out();
    assertTrue(json2.contains("\"mod_revision\":" + m.group(1)), "reading does not change mod_revision");
  }

  @Test
  void delPrintsHowManyKeysItDeleted() {
    lab("store", "put", "/d/1", "x");
    lab("store", "put", "/d/2", "x");
    assertEquals("2\n", lab("store", "del", "--prefix", "/d/").out());
    assertEquals("0\n", lab("store", "del", "/d/1").out());
  }

  @Test
  void aTxnReadFromStdinRunsTheRightBranch() {
    lab("store", "put", "/t", "v1");
    String txn = "value(\"/t\") = \"v1\"\n\nput /t v2\n\nget /t\n";
    Result ok = labWithInput(txn, "store", "txn");
    assertEquals(0, ok.code(), ok.err());
    assertEquals("SUCCESS\n\nOK\n", ok.out());
    Result no = labWithInput(txn, "store", "txn");
    assertEquals("FAILURE\n\n/t\nv2\n", no.out());
  }

  @Test
  void leaseGrantPutTimeToLiveAndRevoke() {
    Result g = lab("store", "lease", "grant", "60");
    Matcher m = Pattern.compile("lease ([0-9a-f]+) granted with TTL\\(60s\\)").matcher(g.out());
    assertTrue(m.find(), g.out() + g.err());
    String id = m.group(1);
    assertEquals(0, lab("store", "put", "/leased", "x", "--lease", id).code());
    String ttl = lab("store", "lease", "timetolive", id, "--keys").out();
    assertTrue(ttl.matches("lease " + id + " granted with TTL\\(60s\\), remaining\\(\\d+s\\), attached keys\\(\\[/leased\\]\\)\n"), ttl);
    assertTrue(lab("store", "lease", "list").out().contains(id));
    assertEquals("lease " + id + " revoked\n", lab("store", "lease", "revoke", id).out());
    assertEquals("", lab("store", "get", "/leased").out());
    assertEquals("lease " + id + " already expired\n", lab("store", "lease", "timetolive", id).out());
  }

  @Test
  void statusShowsEveryMemberAndNamesTheLeader() throws Exception {
    String out = "";
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!out.contains("leader: s") && System.nanoTime() < deadline) {
      out = lab("store", "status").out();
      Thread.sleep(50);
    }
    assertTrue(out.startsWith("NAME   ID   ENDPOINT"), out);
    assertEquals(1, out.lines().filter(l -> l.contains(" LEADER ")).count(), out);
    assertEquals(2, out.lines().filter(l -> l.contains(" FOLLOWER ")).count(), out);
    assertTrue(out.contains("leader: s"), out);
    String json = lab("store", "status", "-w", "json").out();
    assertTrue(json.contains("\"leader\":\"s"), json);
    assertEquals(3, json.split("\"applied\":").length - 1, json);
  }

  @Test
  void membersListsThePeers() {
    String out = lab("store", "members").out();
    assertEquals(3, out.lines().count(), out);
    assertTrue(out.startsWith("1, started, s1, 127.0.0.1:"), out);
  }

  @Test
  void watchPrintsEventsAsTheyHappen() throws Exception {
    CompletableFuture<Result> w = CompletableFuture.supplyAsync(() -> {
      StringWriter out = new StringWriter(), err = new StringWriter();
      int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true),
          "store", "watch", "--endpoints=" + endpoints, "--prefix", "/w/", "--max-events", "2");
      return new Result(code, out.toString(), err.toString());
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!w.isDone() && System.nanoTime() < deadline) {
      lab("store", "put", "/w/a", "1");
      Thread.sleep(100);
    }
    lab("store", "del", "/w/a");
    Result r = w.get(10, TimeUnit.SECONDS);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("PUT\n/w/a\n1\n"), r.out());
  }

  @Test
  void anUnreachableStoreIsAOneLineErrorQuickly() {
    long t0 = System.nanoTime();
    StringWriter err = new StringWriter();
    int code = Main.execute(new PrintWriter(new StringWriter()), new PrintWriter(err, true), "store", "get", "--endpoints", "127.0.0.1:1", "k");
    assertEquals(1, code);
    assertEquals(1, err.toString().lines().count(), err.toString());
    assertTrue(err.toString().contains("cannot connect to store member 127.0.0.1:1"), err.toString());
    assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
  }

  @Test
  void serveRefusesBadInputWithOneLine() throws Exception {
    Result notInPeers = lab("store", "serve", "--name", "s9", "--data", tmp.resolve("x").toString(), "--listen", "127.0.0.1:1",
        "--peers", "s1=127.0.0.1:1");
    assertEquals(1, notInPeers.code());
    assertTrue(notInPeers.err().contains("--name s9 is not in --peers"), notInPeers.err());
    Result badPeers = lab("store", "serve", "--name", "s1", "--data", tmp.resolve("x").toString(), "--listen", "127.0.0.1:1",
        "--peers", "s1:127.0.0.1:1");
    assertTrue(badPeers.err().contains("bad peer 's1:127.0.0.1:1' in --peers: expected NAME=HOST:PORT"), badPeers.err());
    // A data dir made for one cluster refuses a member of another.
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path dir = tmp.resolve("other");
    StoreServer.start("a", Peers.parse("a=127.0.0.1:" + port), dir, new InetSocketAddress("127.0.0.1", port), l -> {},
        c -> c.withWalSegmentBytes(1 << 20)).close();
    Result other = lab("store", "serve", "--name", "a", "--data", dir.toString(), "--listen", "127.0.0.1:" + port,
        "--peers", "a=127.0.0.1:" + port + ",b=127.0.0.1:2");
    assertEquals(1, other.code());
    assertEquals(1, other.err().lines().count(), other.err());
    assertTrue(other.err().contains("belongs to another cluster"), other.err());
    // A port in use.
    Peers.Peer s1 = peers.byName("s1");
    Result inUse = lab("store", "serve", "--name", "s1", "--data", tmp.resolve("fresh").toString(), "--listen", s1.hostPort(),
        "--peers", "s1=" + s1.hostPort());
    assertTrue(inUse.err().contains("cannot listen on " + s1.hostPort()), inUse.err());
    assertFalse(inUse.err().contains("\tat "), inUse.err());
  }
}
