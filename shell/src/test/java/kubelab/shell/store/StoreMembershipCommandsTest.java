package kubelab.shell.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kubelab.shell.Main;
import kubelab.store.server.Peers;
import kubelab.store.server.StoreServer;
import kubelab.store.server.TcpPorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lab store members add|remove}, {@code lab store serve --initial-cluster-state existing}
 * and {@code lab store log --decode} against a real store on loopback: a fourth member is added,
 * started with the line {@code members add} prints, shows up in {@code members}, {@code status}
 * and the log, and exits by itself once removed.
 */
class StoreMembershipCommandsTest {
  @TempDir Path tmp;
  private final List<StoreServer> servers = new ArrayList<>();
  private String endpoints;

  record Result(int code, String out, String err) {}

  private Result lab(String... args) {
    StringWriter out = new StringWriter(), err = new StringWriter();
    List<String> all = new ArrayList<>(List.of(args));
    boolean given = all.stream().anyMatch(a -> a.startsWith("--endpoints"));
    if (args.length > 1 && args[0].equals("store") && !args[1].equals("serve") && !given) all.add("--endpoints=" + endpoints);
    int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), all.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
  }

  @AfterEach
  void stop() {
    servers.forEach(StoreServer::close);
  }

  private void startFounders() throws Exception {
    Peers peers = TcpPorts.loopbackPeers(TcpPorts.free(3));
    for (Peers.Peer p : peers.byId().values()) {
      servers.add(StoreServer.start(p.name(), peers, tmp.resolve(p.name()), p.address(), l -> {},
          c -> c.withTiming(Duration.ofMillis(20), 10, Duration.ofSeconds(5)).withWalSegmentBytes(1 << 20)));
    }
    List<String> eps = new ArrayList<>();
    for (Peers.Peer p : peers.byId().values()) eps.add(p.hostPort());
    endpoints = String.join(",", eps);
    waitFor(() -> lab("store", "status").out().contains("leader: s"), "a leader");
  }

  private static void waitFor(java.util.function.BooleanSupplier cond, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!cond.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "no " + what + " within 20 s");
      Thread.sleep(50);
    }
  }

  @Test
  void aMemberAddedStartedShownInTheLogAndRemovedExits() throws Exception {
    startFounders();
    assertEquals(3, lab("store", "members").out().lines().count());
    int port = TcpPorts.free(1).get(0);

    Result add = lab("store", "members", "add", "s4", "127.0.0.1:" + port);
    assertEquals(0, add.code(), add.err());
    assertTrue(add.out().startsWith("Member 4 (s4) added to cluster "), add.out());
    Matcher m = Pattern.compile("  lab store serve (.*)").matcher(add.out());
    assertTrue(m.find(), add.out());
    String serve = m.group(1).replace("--data DIR", "--data " + tmp.resolve("s4"));
    assertTrue(serve.contains("--initial-cluster-state existing --peers s1=127.0.0.1:"), serve);
    assertTrue(serve.endsWith(",s4=127.0.0.1:" + port), serve);

    // Start s4 with exactly the printed line (and this test's fast ticks).
    List<String> args = new ArrayList<>(List.of("store", "serve"));
    args.addAll(List.of(serve.split(" ")));
    args.addAll(List.of("--tick-ms", "20"));
    CompletableFuture<Integer> s4 = CompletableFuture.supplyAsync(() ->
        Main.execute(new PrintWriter(new StringWriter(), true), new PrintWriter(new StringWriter(), true), args.toArray(String[]::new)));
    waitFor(() -> lab("store", "status").out().contains("voters: 4 (ids 1,2,3,4), quorum 3"), "4 voters");
    String members = lab("store", "members").out();
    assertEquals(4, members.lines().count(), members);
    assertTrue(members.contains("4, started, s4, 127.0.0.1:" + port), members);

    // The log, read from the new member: its founding entries, its own addition, a write.
    assertEquals(0, lab("store", "put", "/registry/configmaps/default/x", "v").code());
    String s4ep = "--endpoints=127.0.0.1:" + port;
    waitFor(() -> log(s4ep, "--decode").contains("PUT /registry/configmaps/default/x (1 bytes)"), "the put in s4's log");
    String decoded = log(s4ep, "--decode", "--from", "1", "--limit", "1000");
    assertTrue(decoded.startsWith("log of s4 (id 4): entries 1-"), decoded);
    assertTrue(decoded.contains("INDEX    TERM  TYPE         REVISION  COMMAND"), decoded);
    assertTrue(Pattern.compile("\n1 +1 +CONF_CHANGE +- +CONF_CHANGE add s1 \\(id 1, founding member\\)\n").matcher(decoded).find(), decoded);
    assertTrue(decoded.contains("CONF_CHANGE add s4 (id 4, 127.0.0.1:" + port + ")"), decoded);
    assertTrue(Pattern.compile("NORMAL +2 +PUT /registry/configmaps/default/x \\(1 bytes\\)").matcher(decoded).find(), decoded);
    String raw = log(s4ep, "--from", "2", "--limit", "2");
    assertEquals(List.of("INDEX    TERM  TYPE         BYTES", "2        1     CONF_CHANGE  9", "3        1     CONF_CHANGE  9"),
        raw.lines().skip(1).toList(), raw);
    String json = lab("store", "log", s4ep, "--decode", "--from", "1", "--limit", "1", "-w", "json").out();
    assertTrue(json.contains("\"entries\":[{\"index\":1,\"term\":1,\"type\":\"CONF_CHANGE\",\"bytes\":9,\"command\":\"CONF_CHANGE add s1"), json);

    // Refusals are one line each.
    Result taken = lab("store", "members", "add", "s2", "127.0.0.1:1");
    assertEquals(1, taken.code());
    assertEquals(1, taken.err().lines().count(), taken.err());
    assertTrue(taken.err().contains("membership: name exists"), taken.err());
    Result unknown = lab("store", "members", "remove", "nope");
    assertTrue(unknown.err().contains("member nope not found"), unknown.err());

    // Remove s4: the change commits, and s4's serve returns by itself.
    Result rm = lab("store", "members", "remove", "s4");
    assertEquals(0, rm.code(), rm.err());
    assertTrue(rm.out().startsWith("Member 4 (s4) removed from cluster "), rm.out());
    assertEquals(0, s4.get(20, TimeUnit.SECONDS));
    assertEquals(3, lab("store", "members").out().lines().count());
  }

  private String log(String... args) {
    List<String> all = new ArrayList<>(List.of("store", "log"));
    all.addAll(List.of(args));
    Result r = lab(all.toArray(String[]::new));
    assertEquals(0, r.code(), r.err());
    return r.out();
  }

  @Test
  void joiningWithoutBeingAddedIsAOneLineError() throws Exception {
    startFounders();
    int port = TcpPorts.free(1).get(0);
    Result r = lab("store", "serve", "--name", "s5", "--data", tmp.resolve("s5").toString(), "--listen", "127.0.0.1:" + port,
        "--initial-cluster-state", "existing", "--peers", endpointsAsPeers() + ",s5=127.0.0.1:" + port);
    assertEquals(1, r.code());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(r.err().contains("member s5 is not a member of the cluster"), r.err());
    assertTrue(r.err().contains("lab store members add s5 127.0.0.1:" + port), r.err());
  }

  private String endpointsAsPeers() {
    List<String> out = new ArrayList<>();
    String[] eps = endpoints.split(",");
    for (int i = 0; i < eps.length; i++) out.add("s" + (i + 1) + "=" + eps[i]);
    return String.join(",", out);
  }
}
