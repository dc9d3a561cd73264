package kubelab.raft;

import static kubelab.raft.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** MemoryStorage, the RaftLog on top of it, and the flow-control pieces (Inflights, Progress). */
class StorageAndLogTest {

  @Test
  void memoryStorageOverwritesAConflictingSuffix() {
    MemoryStorage s = new MemoryStorage();
    s.append(log(1, 1, 1, 1));
    s.append(List.of(entry(2, 3)));
    assertEquals(3, s.lastIndex());
    assertEquals(2, s.term(3));
  }

  @Test
  void memoryStorageCompactsBehindASnapshot() {
    MemoryStorage s = new MemoryStorage();
    s.append(log(1, 1, 2, 2, 3));
    s.createSnapshot(3, ConfState.of(1), "s".getBytes());
    s.compact(3);
    assertEquals(4, s.firstIndex());
    assertEquals(5, s.lastIndex());
    assertEquals(2, s.term(3), "the snapshot's term still answers");
    assertThrows(Storage.CompactedException.class, () -> s.term(2));
    assertThrows(Storage.CompactedException.class, () -> s.entries(3, 5, Long.MAX_VALUE));
    assertThrows(Storage.UnavailableException.class, () -> s.term(6));
    assertEquals(List.of(4L, 5L), s.entries(4, 6, Long.MAX_VALUE).stream().map(Entry::index).toList());
  }

  @Test
  void memoryStorageLimitsEntriesBySizeButReturnsAtLeastOne() {
    MemoryStorage s = new MemoryStorage();
    s.append(log(1, 1, 1));
    assertEquals(1, s.entries(1, 4, 1).size());
    assertEquals(3, s.entries(1, 4, Long.MAX_VALUE).size());
  }

  @Test
  void applyingAnOlderSnapshotIsRefused() {
    MemoryStorage s = new MemoryStorage();
    s.applySnapshot(new Snapshot(10, 2, ConfState.of(1), null));
    assertThrows(IllegalStateException.class, () -> s.applySnapshot(new Snapshot(5, 1, ConfState.of(1), null)));
  }

  @Test
  void raftLogReadsAcrossStableAndUnstableParts() {
    MemoryStorage s = new MemoryStorage();
    s.append(log(1, 1));
    RaftLog l = new RaftLog(s, Long.MAX_VALUE, null);
    l.append(List.of(entry(2, 3), entry(2, 4)));
    assertEquals(4, l.lastIndex());
    assertEquals(List.of(1L, 2L, 3L, 4L), l.slice(1, 5, Long.MAX_VALUE).stream().map(Entry::index).toList());
    assertEquals(2, l.unstableEntries().size());
    l.stableTo(4, 2);
    assertEquals(0, l.unstableEntries().size());
  }

  @Test
  void committingBeyondTheLogIsABug() {
    RaftLog l = new RaftLog(new MemoryStorage(), Long.MAX_VALUE, null);
    assertThrows(IllegalStateException.class, () -> l.commitTo(1));
  }

  @Test
  void overwritingACommittedEntryIsRefused() {
    MemoryStorage s = new MemoryStorage();
    s.append(log(1, 1, 1));
    RaftLog l = new RaftLog(s, Long.MAX_VALUE, null);
    l.commitTo(3);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> l.maybeAppend(1, 1, 3, List.of(entry(2, 2))));
    assertTrue(e.getMessage().contains("conflicts with a committed entry"), e.getMessage());
  }

  @Test
  void inflightsBoundTheWindowAndFreeOnAcknowledgement() {
    Inflights in = new Inflights(3);
    in.add(5);
    in.add(8);
    in.add(12);
    assertTrue(in.full());
    assertThrows(IllegalStateException.class, () -> in.add(13));
    in.freeLE(8);
    assertEquals(1, in.count());
    in.add(15);
    in.add(20);
    assertTrue(in.full(), "the ring wraps around");
    in.freeLE(100);
    assertEquals(0, in.count());
  }

  @Test
  void replicateStateStopsAtTheInflightLimitAndProbeSendsOneAtATime() {
    // init: a leader with a window of 2 messages, one entry per message
    RaftCore r = core(config(1, 1, 2).maxInflightMsgs(2).maxSizePerMsg(1), 0, List.of());
    electLeader(r);
    r.step(Fixtures.msg(MessageType.APP_RESP, 2, 1, 1).index(1).build()); // matched: REPLICATE
    takeMsgs(r);
    Progress pr = r.trk.progress.get(2L);
    assertEquals(Progress.State.REPLICATE, pr.state);
    // act: five proposals
    for (int i = 0; i < 5; i++) r.step(Fixtures.msg(MessageType.PROP, 1, 1, 0).entries(List.of(Entry.normal(0, 0, "x".getBytes()))).build());
    // check: only two messages go out; the rest waits for acknowledgements
    assertEquals(2, takeMsgs(r, MessageType.APP).size());
    assertTrue(pr.isPaused());
    r.step(Fixtures.msg(MessageType.APP_RESP, 2, 1, 1).index(2).build());
    assertEquals(1, takeMsgs(r, MessageType.APP).size(), "one slot freed, one more message");
    // PROBE: after a rejection, one message per round trip.
    pr.becomeProbe();
    pr.sentEntries(1, pr.next);
    assertTrue(pr.isPaused());
  }
}
