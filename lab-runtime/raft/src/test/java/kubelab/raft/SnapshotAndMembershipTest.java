package kubelab.raft;

import static kubelab.raft.Fixtures.*;
import static kubelab.raft.MessageType.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import kubelab.raft.Ready.Role;
import org.junit.jupiter.api.Test;

/** Log compaction and InstallSnapshot (§7), single-server membership changes (dissertation §4.1), learners. */
class SnapshotAndMembershipTest {

  static RaftCore leaderWithCompactedLog() {
    MemoryStorage s = new MemoryStorage();
    s.append(log(1, 1, 1, 1, 1));
    s.setHardState(new HardState(1, 0, 5));
    s.createSnapshot(4, ConfState.of(1, 2, 3), "state@4".getBytes());
    s.compact(4);
    RaftCore r = new RaftCore(config(1, 1, 2, 3).build(), s);
    r.log.appliedTo(5);
    electLeader(r);
    return r;
  }

  @Test
  void leaderSendsASnapshotWhenTheEntriesAFollowerNeedsAreCompacted_7() {
    // init: the leader's log starts after index 4
    RaftCore r = leaderWithCompactedLog();
    Progress pr = r.trk.progress.get(2L);
    pr.recentActive = true;
    // act: follower 2 rejects and hints it has nothing
    r.step(msg(APP_RESP, 2, 1, 2).index(5).reject(true).rejectHint(0).logTerm(0).build());
    // check: InstallSnapshot instead of AppendEntries, and the follower is paused meanwhile
    Message snap = takeMsgs(r, SNAP).get(0);
    assertEquals(4, snap.snapshot().index());
    assertEquals(Progress.State.SNAPSHOT, pr.state);
    assertTrue(pr.isPaused());
    // act: the follower installed it and answers with its new last index
    r.step(msg(APP_RESP, 2, 1, 2).index(4).build());
    assertEquals(Progress.State.PROBE, pr.state);
    assertEquals(5, pr.next);
  }

  @Test
  void aFailedSnapshotIsRetriedAfterProbing_7() {
    RaftCore r = leaderWithCompactedLog();
    Progress pr = r.trk.progress.get(2L);
    pr.recentActive = true;
    r.step(msg(APP_RESP, 2, 1, 2).index(5).reject(true).rejectHint(0).logTerm(0).build());
    takeMsgs(r);
    r.step(msg(SNAP_STATUS, 2, 1, 0).reject(true).build());
    assertEquals(Progress.State.PROBE, pr.state);
    r.step(msg(HEARTBEAT_RESP, 2, 1, 2).build()); // alive: probe again, which needs the snapshot again
    assertEquals(1, takeMsgs(r, SNAP).size());
  }

  @Test
  void followerRestoresASnapshotAndDiscardsItsLog_7() {
    // init: follower with a conflicting log
    RaftCore f = core(config(2, 1, 2, 3), 1, log(1, 1));
    Snapshot s = new Snapshot(10, 3, ConfState.of(1, 2, 3), "state@10".getBytes());
    // act
    f.step(msg(SNAP, 1, 2, 3).snapshot(s).build());
    // check: "Discard the entire log"; the log now continues from the snapshot
    assertEquals(10, f.log.committed);
    assertEquals(10, f.log.lastIndex());
    assertEquals(11, f.log.firstIndex());
    assertEquals(10, takeMsgs(f, APP_RESP).get(0).index());
  }

  @Test
  void followerKeepsEntriesFollowingASnapshotItAlreadyHas_7() {
    RaftCore f = core(config(2, 1, 2, 3), 1, log(1, 1, 1, 1));
    Snapshot s = new Snapshot(2, 1, ConfState.of(1, 2, 3), "state@2".getBytes());
    f.step(msg(SNAP, 1, 2, 1).snapshot(s).build());
    assertEquals(4, f.log.lastIndex(), "retain log entries following it");
    assertEquals(2, f.log.committed, "the snapshot's index is committed");
  }

  // ------------------------------------------------------------------ membership

  @Test
  void addingAMemberChangesTheQuorum_4_1() {
    // init: a 3-node leader whose followers have everything
    RaftCore r = core(1, 1, 2, 3);
    electLeader(r);
    r.step(msg(APP_RESP, 2, 1, 1).index(1).build());
    assertEquals(1, r.log.committed);
    // act: members 4 and 5 join (one change at a time)
    r.applyConfChange(new ConfChange(ConfChange.Type.ADD_NODE, 4, null));
    r.applyConfChange(new ConfChange(ConfChange.Type.ADD_NODE, 5, null));
    assertEquals(3, r.trk.quorum());
    r.step(msg(PROP, 1, 1, 0).entries(List.of(Entry.normal(0, 0, "x".getBytes()))).build());
    r.step(msg(APP_RESP, 2, 1, 1).index(2).build());
    // check: 2 of 5 is no longer a majority
    assertEquals(1, r.log.committed);
    r.step(msg(APP_RESP, 4, 1, 1).index(2).build());
    assertEquals(2, r.log.committed);
  }

  @Test
  void removingAMemberLetsTheRestCommit_4_1() {
    RaftCore r = core(1, 1, 2, 3, 4);
    electLeader(r);
    r.step(msg(APP_RESP, 2, 1, 1).index(1).build());
    assertEquals(0, r.log.committed, "2 of 4 is not a majority");
    r.applyConfChange(new ConfChange(ConfChange.Type.REMOVE_NODE, 4, null));
    assertEquals(1, r.log.committed, "2 of 3 is");
  }

  @Test
  void onlyOneConfChangeIsPendingAtATime_4_1() {
    RaftCore r = core(1, 1, 2, 3);
    electLeader(r);
    r.step(msg(APP_RESP, 2, 1, 1).index(1).build());
    r.log.appliedTo(1);
    Message cc = msg(PROP, 1, 1, 0).entries(List.of(new Entry(0, 0, Entry.Type.CONF_CHANGE,
        new ConfChange(ConfChange.Type.ADD_NODE, 4, null).encode()))).build();
    r.step(cc);
    ProposalDroppedException e = assertThrows(ProposalDroppedException.class, () -> r.step(cc));
    assertTrue(e.getMessage().contains("a configuration change is already pending"), e.getMessage());
  }

  @Test
  void aLearnerReceivesTheLogButNeitherVotesNorCounts() {
    RaftCore r = core(1, 1, 2, 3);
    electLeader(r);
    r.applyConfChange(new ConfChange(ConfChange.Type.ADD_LEARNER, 4, null));
    r.broadcastPending = true;
    assertTrue(takeMsgs(r, APP).stream().anyMatch(m -> m.to() == 4), "the learner gets entries");
    r.step(msg(APP_RESP, 4, 1, 1).index(1).build());
    assertEquals(0, r.log.committed, "the learner's copy does not count");
    // A learner node never campaigns.
    RaftCore learner = core(config(4, 1, 2, 3), 0, List.of());
    for (int i = 0; i < 100; i++) learner.tick();
    assertEquals(Role.FOLLOWER, learner.role);
  }

  @Test
  void aLeaderRemovedFromTheClusterStepsDown_4_1() {
    RaftCore r = core(1, 1, 2, 3);
    electLeader(r);
    r.applyConfChange(new ConfChange(ConfChange.Type.REMOVE_NODE, 1, null));
    assertEquals(Role.FOLLOWER, r.role);
    for (int i = 0; i < 100; i++) r.tick();
    assertEquals(Role.FOLLOWER, r.role, "not a voter: never campaigns");
  }

  @Test
  void confChangeEncodingRoundTrips() {
    ConfChange cc = new ConfChange(ConfChange.Type.ADD_LEARNER, 77, "s7=10.0.0.7:2380".getBytes());
    ConfChange back = ConfChange.decode(cc.encode());
    assertEquals(cc.type(), back.type());
    assertEquals(77, back.nodeId());
    assertArrayEquals(cc.context(), back.context());
    assertThrows(IllegalArgumentException.class, () -> ConfChange.decode(new byte[] {1, 2}));
  }
}
