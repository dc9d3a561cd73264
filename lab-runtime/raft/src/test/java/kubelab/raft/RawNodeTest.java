package kubelab.raft;

import static kubelab.raft.Fixtures.config;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The driver contract of {@link RawNode}: Ready/advance, what must be persisted, restarts. */
class RawNodeTest {

  /** A single-voter node: it elects itself and commits on its own, so one node shows the whole loop. */
  static RawNode single(MemoryStorage s) {
    return RawNode.create(config(1, 1).build(), s);
  }

  static void persist(MemoryStorage s, Ready rd) {
    if (!rd.snapshot().isEmpty()) s.applySnapshot(rd.snapshot());
    s.append(rd.entries());
    if (rd.hardState() != null) s.setHardState(rd.hardState());
  }

  @Test
  void aReadyCarriesWhatToPersistSendAndApply() {
    // init
    MemoryStorage s = new MemoryStorage();
    RawNode n = single(s);
    // act
    n.campaign();
    Ready rd = n.ready();
    // check: became leader at term 1, the no-op to persist, and (single voter) already committed
    assertEquals(Ready.Role.LEADER, rd.softState().role());
    assertEquals(new HardState(1, 1, 1), rd.hardState());
    assertEquals(1, rd.entries().size());
    assertEquals(1, rd.committedEntries().size());
    assertTrue(rd.mustSync(), "a new term and vote, and new entries, must be fsynced");
    persist(s, rd);
    n.advance(rd);
    assertFalse(n.hasReady());
  }

  @Test
  void readyMayNotBeTakenTwiceBeforeAdvance() {
    RawNode n = single(new MemoryStorage());
    n.campaign();
    Ready rd = n.ready();
    assertFalse(n.hasReady(), "nothing new while a Ready is outstanding");
    IllegalStateException e = assertThrows(IllegalStateException.class, n::ready);
    assertTrue(e.getMessage().contains("before advance"));
    n.advance(rd);
    assertThrows(IllegalStateException.class, () -> n.advance(rd));
  }

  @Test
  void committedEntriesAreHandedOutOnce() {
    MemoryStorage s = new MemoryStorage();
    RawNode n = single(s);
    n.campaign();
    Ready rd = n.ready();
    persist(s, rd);
    n.advance(rd);
    n.propose("a".getBytes(StandardCharsets.UTF_8));
    n.propose("b".getBytes(StandardCharsets.UTF_8));
    rd = n.ready();
    assertEquals(2, rd.committedEntries().size());
    assertNull(rd.hardState().equals(new HardState(1, 1, 3)) ? null : rd.hardState(), "only the commit index changed");
    assertFalse(rd.mustSync() && rd.entries().isEmpty(), "a commit-only change needs no fsync");
    persist(s, rd);
    n.advance(rd);
    assertFalse(n.hasReady());
    assertEquals(3, n.status().applied());
  }

  @Test
  void aRestartedNodeKeepsItsTermVoteAndLogButNotWhatItDidNotPersist() {
    // init: a node that persisted entries 1-2 but not 3
    MemoryStorage s = new MemoryStorage();
    RawNode n = single(s);
    n.campaign();
    Ready rd = n.ready();
    persist(s, rd);
    n.advance(rd);
    n.propose("persisted".getBytes());
    rd = n.ready();
    persist(s, rd);
    n.advance(rd);
    n.propose("lost".getBytes());
    assertEquals(3, n.status().lastIndex());
    // act: crash (drop n) and restart from storage, the application having applied index 2
    RawNode again = RawNode.create(config(1, 1).applied(2).build(), s);
    // check
    Status st = again.status();
    assertEquals(1, st.term());
    assertEquals(1, st.vote());
    assertEquals(2, st.lastIndex(), "entry 3 was never persisted");
    assertEquals(2, st.commit());
    assertEquals(Ready.Role.FOLLOWER, st.role());
    assertFalse(again.hasReady(), "nothing to re-apply: applied = 2");
  }

  @Test
  void aRestartReplaysCommittedEntriesAfterTheAppliedIndex() {
    MemoryStorage s = new MemoryStorage();
    RawNode n = single(s);
    n.campaign();
    Ready rd = n.ready();
    persist(s, rd);
    n.advance(rd);
    for (int i = 0; i < 3; i++) n.propose(("v" + i).getBytes());
    rd = n.ready();
    persist(s, rd);
    n.advance(rd);
    RawNode again = RawNode.create(config(1, 1).build(), s); // applied 0: replay everything
    Ready replay = again.ready();
    assertEquals(List.of(1L, 2L, 3L, 4L), replay.committedEntries().stream().map(Entry::index).toList());
  }

  @Test
  void localMessageTypesAreRefusedFromTheNetwork() {
    RawNode n = single(new MemoryStorage());
    for (MessageType t : List.of(MessageType.HUP, MessageType.BEAT, MessageType.CHECK_QUORUM)) {
      assertThrows(IllegalArgumentException.class, () -> n.step(Message.builder(t).from(2).to(1).build()));
    }
  }

  @Test
  void statusShowsTheLeadersViewOfEachFollower() {
    RawNode n = RawNode.create(config(1, 1, 2, 3).build(), new MemoryStorage());
    n.campaign();
    n.step(Message.builder(MessageType.VOTE_RESP).from(2).to(1).term(1).build());
    Status st = n.status();
    assertEquals(Ready.Role.LEADER, st.role());
    assertEquals(3, st.progress().size());
    assertEquals(Status.ReplicationState.REPLICATE, st.progress().get(1L).state());
    assertEquals(Status.ReplicationState.PROBE, st.progress().get(2L).state());
  }

  @Test
  void configRejectsNonsenseWithOneLineErrors() {
    assertEquals("raft config: id must not be 0 (0 means no node)",
        assertThrows(IllegalArgumentException.class, () -> Config.builder(0).build()).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Config.builder(1).electionTick(1).heartbeatTick(1).build())
        .getMessage().contains("must be greater than heartbeatTick"));
  }
}
