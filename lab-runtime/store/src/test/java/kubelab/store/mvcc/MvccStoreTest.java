package kubelab.store.mvcc;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import kubelab.store.KvStore;
import kubelab.store.KvStore.DeleteRequest;
import kubelab.store.KvStore.PutRequest;
import kubelab.store.KvStore.RangeRequest;
import kubelab.store.KvStore.WatchEvent;
import kubelab.store.KvStore.WatchRequest;
import kubelab.store.StoreException;
import kubelab.store.codec.CorruptDataException;
import org.junit.jupiter.api.Test;

/** Rules of the keyspace state machine that the KvStore contract cannot see from outside. */
class MvccStoreTest {
  private static Command put(String k, String v) {
    return new Command.Put(PutRequest.of(k, v.getBytes(UTF_8)));
  }

  /** A random but reproducible sequence of commands, some of which fail. */
  private static List<Command> randomCommands(long seed, int n) {
    Random rnd = new Random(seed);
    List<Command> out = new ArrayList<>();
    long lease = 1;
    for (int i = 0; i < n; i++) {
      int op = rnd.nextInt(10);
      String key = "/registry/pods/ns" + rnd.nextInt(3) + "/p" + rnd.nextInt(20);
      if (op < 5) out.add(put(key, "v" + i));
      else if (op == 5) out.add(new Command.Delete(DeleteRequest.key(key)));
      else if (op == 6) out.add(new Command.Delete(DeleteRequest.prefix("/registry/pods/ns" + rnd.nextInt(3) + "/")));
      else if (op == 7) out.add(new Command.LeaseGrant(lease++, 10));
      else if (op == 8) out.add(new Command.Put(new PutRequest(key, new byte[] {1}, 1 + rnd.nextInt((int) lease), false)));
      else out.add(new Command.LeaseRevoke(1 + rnd.nextInt((int) lease)));
      if (i % 97 == 96) out.add(new Command.Compact(Math.max(2, i / 2)));
    }
    return out;
  }

  private static void applyAll(MvccStore s, List<Command> cmds) {
    for (Command c : cmds) {
      try {
        s.apply(c);
      } catch (StoreException e) {
        // a refused command changes nothing, on every member alike
      }
    }
  }

  @Test
  void membersApplyingTheSameCommandsReachTheSameState() {
    List<Command> cmds = randomCommands(42, 2000);
    MvccStore a = new MvccStore();
    MvccStore b = new MvccStore();
    applyAll(a, cmds);
    applyAll(b, cmds);
    assertEquals(a.revision(), b.revision());
    assertEquals(a.hash(), b.hash());
    MvccStore c = new MvccStore();
    applyAll(c, randomCommands(43, 2000));
    assertNotEquals(a.hash(), c.hash());
  }

  @Test
  void aSnapshotRestoresTheSameStateAndHistory() {
    List<Command> cmds = randomCommands(7, 3000);
    MvccStore a = new MvccStore();
    applyAll(a, cmds.subList(0, 2000));
    MvccStore b = new MvccStore();
    b.restore(a.snapshot());
    assertEquals(a.hash(), b.hash());
    assertEquals(a.revision(), b.revision());
    assertEquals(a.compactRevision(), b.compactRevision());
    // Both continue identically after the restore, history reads included.
    applyAll(a, cmds.subList(2000, 3000));
    applyAll(b, cmds.subList(2000, 3000));
    assertEquals(a.hash(), b.hash());
    long mid = (a.compactRevision() + a.revision()) / 2;
    var ra = a.range(new RangeRequest("/", "\0", 0, mid, false, false, false));
    var rb = b.range(new RangeRequest("/", "\0", 0, mid, false, false, false));
    assertEquals(ra.count(), rb.count());
    assertEquals(ra.kvs().stream().map(kv -> kv.key() + "@" + kv.modRevision()).toList(),
        rb.kvs().stream().map(kv -> kv.key() + "@" + kv.modRevision()).toList());
  }

  @Test
  void aWatchFromTheCompactRevisionReplaysTheSameEventsAfterARestore() throws Exception {
    MvccStore a = new MvccStore();
    applyAll(a, randomCommands(11, 1500));
    MvccStore b = new MvccStore();
    b.restore(a.snapshot());
    long from = a.compactRevision();
    assertEquals(collect(a, from), collect(b, from));
  }

  private static List<String> collect(MvccStore s, long from) throws InterruptedException {
    List<String> seen = new CopyOnWriteArrayList<>();
    long id = s.watch(new WatchRequest("/", "\0", from, false, false), new KvStore.WatchListener() {
      @Override public void onEvents(long revision, List<WatchEvent> events) {
        for (WatchEvent e : events) seen.add(e.type() + " " + e.kv().key() + "@" + e.kv().modRevision());
      }
      @Override public void onCompacted(long rev) { seen.add("compacted " + rev); }
      @Override public void onError(Throwable cause) { seen.add("error"); }
    });
    long deadline = System.currentTimeMillis() + 5000;
    int last = -1;
    while (System.currentTimeMillis() < deadline && seen.size() != last) {
      last = seen.size();
      Thread.sleep(100);
    }
    s.cancelWatch(id);
    assertTrue(seen.size() > 10, "the history replay delivered " + seen.size() + " events");
    return seen;
  }

  @Test
  void aCorruptSnapshotIsRefusedAndLeavesTheStateAlone() {
    MvccStore a = new MvccStore();
    applyAll(a, randomCommands(3, 100));
    byte[] snap = a.snapshot();
    MvccStore b = new MvccStore();
    b.apply(put("/keep", "1"));
    long h = b.hash();
    byte[] cut = java.util.Arrays.copyOf(snap, snap.length - 3);
    assertThrows(CorruptDataException.class, () -> b.restore(cut));
    assertEquals(h, b.hash());
  }

  @Test
  void aSnapshotEncodedLaterHoldsTheStateOfTheMomentItWasTaken() {
    // The apply thread freezes the state; the snapshot thread encodes it while writes,
    // deletes, lease changes and compactions go on. The bytes must be those of the moment.
    List<Command> cmds = randomCommands(11, 4000);
    MvccStore a = new MvccStore();
    applyAll(a, cmds.subList(0, 2000));
    byte[] now = a.snapshot();
    var later = a.snapshotLater();
    applyAll(a, cmds.subList(2000, 4000));
    a.apply(new Command.Compact(a.revision()));
    byte[] encoded = later.get();
    assertArrayEquals(now, encoded);
    MvccStore b = new MvccStore();
    b.restore(encoded);
    assertNotEquals(a.hash(), b.hash(), "the store itself moved on");
  }

  @Test
  void compactionForgetsDeletedKeysAndOldVersions() {
    MvccStore s = new MvccStore();
    s.apply(put("a", "1"));
    s.apply(put("a", "2"));
    s.apply(new Command.Delete(DeleteRequest.key("a")));
    long r = (Long) s.apply(new Command.Compact(s.revision()));
    assertEquals(s.revision(), r);
    assertEquals(1, s.index().get("a").size(), "the delete event of the compact revision stays replayable");
    s.apply(put("b", "1"));
    s.apply(put("b", "2"));
    s.apply(new Command.Compact(s.revision()));
    assertEquals(1, s.index().get("b").size());
    assertTrue(!s.index().containsKey("a"), "a deleted key is gone after a compaction past its deletion");
    assertArrayEquals("2".getBytes(UTF_8), s.range(RangeRequest.key("b")).kvs().get(0).value());
  }

  @Test
  void leaseExpiryIsDecidedByTheClockOutsideTheStateMachine() {
    var clock = new kubelab.testkit.FakeClock();
    LeaseTimers timers = new LeaseTimers(clock);
    MvccStore s = new MvccStore();
    s.setLeaseObserver(timers);
    s.apply(new Command.LeaseGrant(5, 10));
    s.apply(new Command.Put(new PutRequest("k", new byte[0], 5, false)));
    clock.advance(java.time.Duration.ofSeconds(9));
    assertTrue(timers.expired().isEmpty());
    s.apply(new Command.LeaseRenew(5));
    clock.advance(java.time.Duration.ofSeconds(9));
    assertTrue(timers.expired().isEmpty(), "a keep-alive restarts the TTL");
    clock.advance(java.time.Duration.ofSeconds(2));
    assertEquals(List.of(5L), timers.expired());
    assertTrue(timers.expired().isEmpty(), "a revocation under way is not proposed twice");
    s.apply(new Command.LeaseRevoke(5));
    assertEquals(0, s.range(RangeRequest.key("k")).count());
  }
}
