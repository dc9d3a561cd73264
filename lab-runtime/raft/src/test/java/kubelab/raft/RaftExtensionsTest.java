package kubelab.raft;

import static kubelab.raft.Fixtures.*;
import static kubelab.raft.MessageType.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.List;
import kubelab.raft.Ready.Role;
import org.junit.jupiter.api.Test;

/**
 * The dissertation's additions, each test named after its section: PreVote (§9.6), CheckQuorum
 * and the vote lease (§6.2, §4.2.3), ReadIndex (§6.4), leadership transfer (§3.10).
 */
class RaftExtensionsTest {

  // ------------------------------------------------------------------ PreVote (§9.6)

  @Test
  void preVoteDoesNotBumpTheTerm_9_6() {
    // init
    RaftCore r = core(config(1, 1, 2, 3).preVote(true), 0, List.of());
    // act
    r.step(msg(HUP, 1, 1, 0).build());
    // check: a pre-candidate asks about term+1 but stays at its term and votes for nobody
    assertEquals(Role.PRE_CANDIDATE, r.role);
    assertEquals(0, r.term);
    assertEquals(RaftCore.NONE, r.vote);
    List<Message> pv = takeMsgs(r, PRE_VOTE);
    assertEquals(2, pv.size());
    assertEquals(1, pv.get(0).term());
  }

  @Test
  void preVoteQuorumStartsTheRealElection_9_6() {
    RaftCore r = core(config(1, 1, 2, 3).preVote(true), 0, List.of());
    r.step(msg(HUP, 1, 1, 0).build());
    takeMsgs(r);
    r.step(msg(PRE_VOTE_RESP, 2, 1, 1).build());
    assertEquals(Role.CANDIDATE, r.role);
    assertEquals(1, r.term);
    assertEquals(2, takeMsgs(r, VOTE).size());
  }

  @Test
  void receivingAPreVoteChangesNothing_9_6() {
    RaftCore r = core(config(2, 1, 2, 3).preVote(true), 3, log(1, 2));
    r.step(msg(PRE_VOTE, 1, 2, 4).index(2).logTerm(2).build());
    Message resp = takeMsgs(r, PRE_VOTE_RESP).get(0);
    assertFalse(resp.reject());
    assertEquals(4, resp.term(), "answers with the term asked about");
    assertEquals(3, r.term, "our term is unchanged");
    assertEquals(RaftCore.NONE, r.vote, "a pre-vote is not a vote");
  }

  @Test
  void aPartitionedNodeWithPreVoteCannotRaiseItsTerm_9_6() {
    // init: node 3 is cut off: its pre-votes go unanswered
    RaftCore r = core(config(3, 1, 2, 3).preVote(true), 5, log(1, 5));
    // act: many election timeouts
    for (int i = 0; i < 200; i++) r.tick();
    // check: still at term 5, so on return it cannot depose the leader with a higher term
    assertEquals(5, r.term);
    assertEquals(Role.PRE_CANDIDATE, r.role);
  }

  @Test
  void withoutPreVoteAPartitionedNodeRaisesItsTermEachTimeout_9_6() {
    RaftCore r = core(config(3, 1, 2, 3), 5, log(1, 5));
    for (int i = 0; i < 200; i++) r.tick();
    assertTrue(r.term > 10, "term climbed to " + r.term);
  }

  // ------------------------------------------------------------------ CheckQuorum (§6.2) and the lease (§4.2.3)

  @Test
  void leaderStepsDownWithoutAQuorumForAnElectionTimeout_6_2() {
    // init
    RaftCore r = core(config(1, 1, 2, 3).checkQuorum(true), 0, List.of());
    electLeader(r);
    // act: two election timeouts without any answer (the first check uses the election's votes)
    for (int i = 0; i < 2 * r.electionTimeout; i++) r.tick();
    // check
    assertEquals(Role.FOLLOWER, r.role);
  }

  @Test
  void leaderStaysWhileAQuorumAnswers_6_2() {
    RaftCore r = core(config(1, 1, 2, 3).checkQuorum(true), 0, List.of());
    electLeader(r);
    for (int i = 0; i < 5 * r.electionTimeout; i++) {
      r.tick();
      r.step(msg(HEARTBEAT_RESP, 2, 1, r.term).build());
    }
    assertEquals(Role.LEADER, r.role);
  }

  @Test
  void followerThatHeardALeaderRecentlyIgnoresVoteRequests_4_2_3() {
    // init: follower 2 hears from leader 1 at term 2
    RaftCore r = core(config(2, 1, 2, 3).checkQuorum(true), 2, List.of());
    r.step(msg(HEARTBEAT, 1, 2, 2).build());
    takeMsgs(r);
    // act: node 3 (disrupting, term 9) asks for a vote
    r.step(msg(VOTE, 3, 2, 9).index(5).logTerm(9).build());
    // check: ignored entirely, term unchanged
    assertEquals(2, r.term);
    assertTrue(takeMsgs(r).isEmpty());
    assertEquals(1, r.lead);
  }

  @Test
  void aTransferCampaignIsNotIgnoredByTheLease_3_10() {
    RaftCore r = core(config(2, 1, 2, 3).checkQuorum(true), 2, List.of());
    r.step(msg(HEARTBEAT, 1, 2, 2).build());
    takeMsgs(r);
    r.step(msg(VOTE, 3, 2, 3).index(0).logTerm(0).context(RaftCore.CAMPAIGN_TRANSFER).build());
    assertEquals(3, r.term);
    assertFalse(takeMsgs(r, VOTE_RESP).get(0).reject());
  }

  // ------------------------------------------------------------------ ReadIndex (§6.4)

  static final byte[] CTX = "read-1".getBytes(StandardCharsets.UTF_8);

  @Test
  void readIndexWaitsUntilTheLeaderCommittedAnEntryOfItsTerm_6_4() {
    // init: a new leader whose no-op is not committed yet
    RaftCore r = core(1, 1, 2, 3);
    electLeader(r);
    // act
    r.step(msg(READ_INDEX, 1, 1, 0).context(CTX).build());
    // check: no heartbeat round yet, no answer
    assertTrue(takeMsgs(r, HEARTBEAT).isEmpty());
    assertTrue(r.readStates.isEmpty());
    // act: the no-op commits
    r.step(msg(APP_RESP, 2, 1, 1).index(1).build());
    // check: now the heartbeat round that confirms leadership goes out, carrying the context
    List<Message> hb = takeMsgs(r, HEARTBEAT);
    assertEquals(2, hb.size());
    assertArrayEquals(CTX, hb.get(0).context());
  }

  @Test
  void readIndexIsAnsweredAfterAQuorumConfirmsLeadership_6_4() {
    RaftCore r = core(1, 1, 2, 3, 4, 5);
    electLeader(r);
    r.step(msg(APP_RESP, 2, 1, 1).index(1).build());
    r.step(msg(APP_RESP, 3, 1, 1).index(1).build());
    assertEquals(1, r.log.committed);
    r.step(msg(READ_INDEX, 1, 1, 0).context(CTX).build());
    r.step(msg(HEARTBEAT_RESP, 2, 1, 1).context(CTX).build());
    assertTrue(r.readStates.isEmpty(), "2 of 5 (with the leader) is no quorum");
    r.step(msg(HEARTBEAT_RESP, 3, 1, 1).context(CTX).build());
    assertEquals(1, r.readStates.size());
    assertEquals(1, r.readStates.get(0).index(), "the commit index when the read arrived");
  }

  @Test
  void aFollowersReadIndexIsForwardedAndAnswered_6_4() {
    RaftCore f = core(config(2, 1, 2, 3), 1, log(1));
    f.step(msg(HEARTBEAT, 1, 2, 1).commit(1).build());
    takeMsgs(f);
    f.step(msg(READ_INDEX, 2, 2, 0).context(CTX).build());
    Message fwd = takeMsgs(f, READ_INDEX).get(0);
    assertEquals(1, fwd.to());
    // The leader's answer comes back:
    f.step(msg(READ_INDEX_RESP, 1, 2, 1).index(7).context(CTX).build());
    assertEquals(new ReadState(7, CTX).index(), f.readStates.get(0).index());
  }

  @Test
  void theBugSwitchAnswersReadIndexWithoutAHeartbeatRound_6_4() {
    RaftCore r = core(config(1, 1, 2, 3).bug(Config.InjectedBug.READ_INDEX_WITHOUT_QUORUM), 0, List.of());
    electLeader(r);
    r.step(msg(APP_RESP, 2, 1, 1).index(1).build());
    r.step(msg(READ_INDEX, 1, 1, 0).context(CTX).build());
    assertEquals(1, r.readStates.size(), "answered at once: a deposed leader would answer stale");
  }

  // ------------------------------------------------------------------ leadership transfer (§3.10)

  @Test
  void transferSendsTimeoutNowOnceTheTransfereeCaughtUp_3_10() {
    // init
    RaftCore r = core(1, 1, 2, 3);
    electLeader(r);
    // act: transfer to 3, which does not have the no-op yet
    r.step(msg(TRANSFER_LEADER, 3, 1, 0).build());
    assertEquals(3, r.leadTransferee);
    assertTrue(takeMsgs(r, TIMEOUT_NOW).isEmpty());
    r.step(msg(APP_RESP, 3, 1, 1).index(1).build());
    // check
    List<Message> tn = takeMsgs(r, TIMEOUT_NOW);
    assertEquals(1, tn.size());
    assertEquals(3, tn.get(0).to());
  }

  @Test
  void proposalsAreDroppedDuringATransfer_3_10() {
    RaftCore r = core(1, 1, 2, 3);
    electLeader(r);
    r.step(msg(TRANSFER_LEADER, 3, 1, 0).build());
    Message prop = msg(PROP, 1, 1, 0).entries(List.of(Entry.normal(0, 0, "x".getBytes()))).build();
    ProposalDroppedException e = assertThrows(ProposalDroppedException.class, () -> r.step(prop));
    assertTrue(e.getMessage().contains("leadership transfer to 3 in progress"), e.getMessage());
  }

  @Test
  void aTransferIsAbandonedAfterAnElectionTimeout_3_10() {
    RaftCore r = core(1, 1, 2, 3);
    electLeader(r);
    r.step(msg(TRANSFER_LEADER, 3, 1, 0).build());
    for (int i = 0; i < r.electionTimeout; i++) r.tick();
    assertEquals(RaftCore.NONE, r.leadTransferee);
    assertEquals(Role.LEADER, r.role);
  }

  @Test
  void timeoutNowMakesTheFollowerCampaignAtOnceSkippingPreVote_3_10() {
    RaftCore r = core(config(3, 1, 2, 3).preVote(true), 1, log(1));
    r.step(msg(TIMEOUT_NOW, 1, 3, 1).build());
    assertEquals(Role.CANDIDATE, r.role);
    assertEquals(2, r.term);
    List<Message> votes = takeMsgs(r, VOTE);
    assertEquals(2, votes.size());
    assertArrayEquals(RaftCore.CAMPAIGN_TRANSFER, votes.get(0).context());
  }

  @Test
  void proposingWithoutALeaderThrows() {
    RaftCore r = core(1, 1, 2, 3);
    Message prop = msg(PROP, 1, 1, 0).entries(List.of(Entry.normal(0, 0, "x".getBytes()))).build();
    ProposalDroppedException e = assertThrows(ProposalDroppedException.class, () -> r.step(prop));
    assertEquals("raft proposal dropped: no leader at term 0", e.getMessage());
  }
}
