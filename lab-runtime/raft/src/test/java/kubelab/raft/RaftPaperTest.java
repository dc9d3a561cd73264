package kubelab.raft;

import static kubelab.raft.Fixtures.*;
import static kubelab.raft.MessageType.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import kubelab.raft.Ready.Role;
import org.junit.jupiter.api.Test;

/**
 * One test per rule of the Raft paper (Ongaro and Ousterhout, 2014), named after its section:
 * §5.1 terms, §5.2 leader election, §5.3 log replication, §5.4 safety. Each reads init / act /
 * check. When one fails, its name points to the rule in the paper.
 */
class RaftPaperTest {

  // ------------------------------------------------------------------ §5.1 terms

  @Test
  void followerUpdatesTermFromHigherTermMessage_5_1() {
    // init
    RaftCore r = core(1, 1, 2, 3);
    // act
    r.step(msg(APP, 2, 1, 5).build());
    // check: "If RPC request or response contains term T > currentTerm: set currentTerm = T"
    assertEquals(5, r.term);
    assertEquals(Role.FOLLOWER, r.role);
    assertEquals(2, r.lead);
  }

  @Test
  void candidateStepsDownOnHigherTerm_5_1() {
    RaftCore r = core(1, 1, 2, 3);
    r.step(msg(HUP, 1, 1, 0).build());
    assertEquals(Role.CANDIDATE, r.role);
    r.step(msg(HEARTBEAT, 2, 1, r.term + 1).build());
    assertEquals(Role.FOLLOWER, r.role);
    assertEquals(2, r.term);
    assertEquals(2, r.lead);
  }

  @Test
  void leaderStepsDownOnHigherTerm_5_1() {
    RaftCore r = core(1, 1, 2, 3);
    electLeader(r);
    r.step(msg(APP_RESP, 3, 1, 7).build());
    assertEquals(Role.FOLLOWER, r.role);
    assertEquals(7, r.term);
    assertEquals(RaftCore.NONE, r.lead, "a response names no leader");
  }

  @Test
  void rejectsStaleTermMessages_5_1() {
    // init: a follower at term 3 with an empty log
    RaftCore r = core(config(1, 1, 2, 3), 3, List.of());
    // act: an AppendEntries from a deposed leader at term 2
    r.step(msg(APP, 2, 1, 2).index(0).logTerm(0).entries(List.of(entry(2, 1))).build());
    // check: "Reply false if term < currentTerm (§5.1)": nothing appended, term unchanged
    assertEquals(3, r.term);
    assertEquals(0, r.log.lastIndex());
    assertTrue(takeMsgs(r).isEmpty(), "plain Raft drops it");
  }

  @Test
  void staleLeaderLearnsTheNewTermWhenCheckQuorumIsOn_5_1() {
    RaftCore r = core(config(1, 1, 2, 3).checkQuorum(true), 3, List.of());
    r.step(msg(HEARTBEAT, 2, 1, 2).build());
    List<Message> out = takeMsgs(r);
    assertEquals(1, out.size());
    assertEquals(APP_RESP, out.get(0).type());
    assertEquals(3, out.get(0).term(), "the answer carries our term, so the old leader steps down");
  }

  // ------------------------------------------------------------------ §5.2 leader election

  @Test
  void followerStartsElectionAfterTimeout_5_2() {
    // init
    RaftCore r = core(1, 1, 2, 3);
    // act: an election timeout passes without hearing from a leader
    tickElection(r);
    // check: "increment currentTerm, vote for self, reset election timer, send RequestVote RPCs to all other servers"
    assertEquals(Role.CANDIDATE, r.role);
    assertEquals(1, r.term);
    assertEquals(1, r.vote);
    assertEquals(0, r.electionElapsed);
    Set<Long> to = new TreeSet<>();
    for (Message m : takeMsgs(r, VOTE)) {
      to.add(m.to());
      assertEquals(1, m.term());
    }
    assertEquals(Set.of(2L, 3L), to);
  }

  @Test
  void electionTimeoutIsRandomizedBetweenTAnd2T_5_2() {
    Set<Integer> seen = new TreeSet<>();
    for (long seed = 1; seed <= 200; seed++) {
      RaftCore r = new RaftCore(config(1, 1, 2, 3).random(new java.util.SplittableRandom(seed)).build(), new MemoryStorage());
      int ticks = 0;
      while (r.role == Role.FOLLOWER) {
        r.tick();
        ticks++;
      }
      assertTrue(ticks >= 10 && ticks < 20, "timed out after " + ticks + " ticks");
      seen.add(ticks);
    }
    assertTrue(seen.size() >= 8, "timeouts are spread over the range: " + seen);
  }

  @Test
  void candidateBecomesLeaderWithVotesFromAMajority_5_2() {
    // A table: cluster size, votes granted (besides the candidate's own), expected role.
    record Row(int size, int granted, int rejected, Role expected) {}
    for (Row row : List.of(
        new Row(1, 0, 0, Role.LEADER),
        new Row(3, 1, 0, Role.LEADER),
        new Row(3, 0, 1, Role.CANDIDATE),
        new Row(3, 0, 2, Role.FOLLOWER),
        new Row(5, 2, 0, Role.LEADER),
        new Row(5, 1, 1, Role.CANDIDATE),
        new Row(5, 1, 3, Role.FOLLOWER))) {
      long[] peers = new long[row.size()];
      for (int i = 0; i < peers.length; i++) peers[i] = i + 1;
      RaftCore r = core(1, peers);
      r.step(msg(HUP, 1, 1, 0).build());
      long from = 2;
      for (int i = 0; i < row.granted(); i++) r.step(msg(VOTE_RESP, from++, 1, r.term).build());
      for (int i = 0; i < row.rejected(); i++) r.step(msg(VOTE_RESP, from++, 1, r.term).reject(true).build());
      assertEquals(row.expected(), r.role, row.toString());
    }
  }

  @Test
  void grantsAtMostOneVotePerTerm_5_2() {
    // init
    RaftCore r = core(1, 1, 2, 3);
    // act: two candidates of term 1 ask, 2 first
    r.step(msg(VOTE, 2, 1, 1).build());
    r.step(msg(VOTE, 3, 1, 1).build());
    r.step(msg(VOTE, 2, 1, 1).build()); // 2 asks again (its answer was lost)
    // check: first come, first served; the repeat is granted again
    List<Message> out = takeMsgs(r, VOTE_RESP);
    assertEquals(3, out.size());
    assertFalse(out.get(0).reject());
    assertTrue(out.get(1).reject(), "3 asked after 2: rejected");
    assertFalse(out.get(2).reject(), "2 asking again gets the same answer");
    assertEquals(2, r.vote);
  }

  @Test
  void grantingAVoteResetsTheElectionTimer_5_2() {
    RaftCore r = core(1, 1, 2, 3);
    for (int i = 0; i < 9; i++) r.tick();
    r.step(msg(VOTE, 2, 1, 1).build());
    assertEquals(0, r.electionElapsed);
  }

  @Test
  void candidateReturnsToFollowerOnAppendFromLeaderOfSameTerm_5_2() {
    RaftCore r = core(1, 1, 2, 3);
    r.step(msg(HUP, 1, 1, 0).build());
    assertEquals(Role.CANDIDATE, r.role);
    // "If the leader's term is at least as large as the candidate's current term, then the candidate recognizes the leader as legitimate"
    r.step(msg(APP, 2, 1, r.term).index(0).logTerm(0).build());
    assertEquals(Role.FOLLOWER, r.role);
    assertEquals(2, r.lead);
    assertEquals(1, r.term);
  }

  @Test
  void candidateStartsANewElectionAfterASplitVote_5_2() {
    RaftCore r = core(1, 1, 2, 3);
    r.step(msg(HUP, 1, 1, 0).build());
    takeMsgs(r);
    for (int i = 0; i < 2 * r.electionTimeout && r.term == 1; i++) r.tick(); // nobody answered: the timeout fires again
    assertEquals(Role.CANDIDATE, r.role);
    assertEquals(2, r.term, "a new term");
    assertEquals(2, takeMsgs(r, VOTE).size());
  }

  @Test
  void leaderSendsHeartbeatsEveryHeartbeatTick_5_2() {
    RaftCore r = core(1, 1, 2, 3);
    electLeader(r);
    r.tick();
    List<Message> hb = takeMsgs(r, HEARTBEAT);
    assertEquals(2, hb.size(), "one heartbeat to each follower");
    assertEquals(Set.of(2L, 3L), Set.of(hb.get(0).to(), hb.get(1).to()));
  }

  @Test
  void newLeaderSendsAnAppendEntriesWithItsNoopEntry_5_2() {
    RaftCore r = core(1, 1, 2, 3);
    r.step(msg(HUP, 1, 1, 0).build());
    r.step(msg(VOTE_RESP, 2, 1, 1).build());
    List<Message> apps = takeMsgs(r, APP);
    assertEquals(2, apps.size());
    for (Message m : apps) {
      assertEquals(1, m.entries().size());
      assertEquals(0, m.entries().get(0).data().length, "the no-op");
      assertEquals(1, m.entries().get(0).term());
    }
  }

  // ------------------------------------------------------------------ §5.3 log replication

  @Test
  void leaderAppendsProposalAndReplicatesIt_5_3() {
    // init
    RaftCore r = core(1, 1, 2, 3);
    electLeader(r);
    r.step(msg(APP_RESP, 2, 1, 1).index(1).build()); // both followers have the no-op
    r.step(msg(APP_RESP, 3, 1, 1).index(1).build());
    takeMsgs(r);
    // act
    r.step(msg(PROP, 1, 1, 0).entries(List.of(Entry.normal(0, 0, "x".getBytes()))).build());
    // check: "append entry to local log", then AppendEntries to each follower
    assertEquals(2, r.log.lastIndex());
    assertEquals(1, r.log.committed, "not committed before a majority has it");
    List<Message> apps = takeMsgs(r, APP);
    assertEquals(2, apps.size());
    for (Message m : apps) {
      assertEquals(1, m.index(), "prevLogIndex");
      assertEquals(1, m.logTerm(), "prevLogTerm");
      assertEquals(2, m.entries().get(0).index());
    }
  }

  @Test
  void leaderCommitsOnceAMajorityStoresTheEntry_5_3() {
    RaftCore r = core(1, 1, 2, 3, 4, 5);
    electLeader(r);
    r.step(msg(PROP, 1, 1, 0).entries(List.of(Entry.normal(0, 0, "x".getBytes()))).build());
    r.step(msg(APP_RESP, 2, 1, 1).index(2).build());
    assertEquals(0, r.log.committed, "2 of 5 is no majority");
    r.step(msg(APP_RESP, 3, 1, 1).index(2).build());
    assertEquals(2, r.log.committed, "3 of 5 is");
  }

  @Test
  void followerRejectsWhenPrevLogEntryDoesNotMatch_5_3() {
    // init: follower log terms [1 1 2], leader claims prev (index 3, term 3)
    RaftCore r = core(config(2, 1, 2, 3), 3, log(1, 1, 2));
    // act
    r.step(msg(APP, 1, 2, 3).index(3).logTerm(3).entries(List.of(entry(3, 4))).build());
    // check: "Reply false if log doesn't contain an entry at prevLogIndex whose term matches prevLogTerm"
    Message resp = takeMsgs(r, APP_RESP).get(0);
    assertTrue(resp.reject());
    assertEquals(3, resp.index());
    assertEquals(3, resp.rejectHint(), "our entry 3 has term 2 <= 3: the leader may probe from there");
    assertEquals(2, resp.logTerm());
    assertEquals(3, r.log.lastIndex(), "nothing appended");
  }

  @Test
  void followerRejectionHintSkipsAWholeConflictingTerm_5_3() {
    // init: follower has many entries of term 2 the leader (term 3) does not have
    RaftCore r = core(config(2, 1, 2, 3), 3, log(1, 2, 2, 2, 2, 2));
    // act: leader probes at (index 6, term 3)
    r.step(msg(APP, 1, 2, 3).index(6).logTerm(3).build());
    // check: the hint points below the follower's term-2 entries? No: to its last entry with term <= 3,
    // and the leader then uses its own log to skip the term it does not share.
    Message resp = takeMsgs(r, APP_RESP).get(0);
    assertTrue(resp.reject());
    assertEquals(6, resp.rejectHint());
    assertEquals(2, resp.logTerm());
    // A leader whose log is [1 3 3 3 3 3 3] finds its last index with term <= 2: index 1.
    RaftCore leader = core(config(1, 1, 2, 3), 3, log(1, 3, 3, 3, 3, 3, 3));
    assertEquals(1, leader.log.findConflictByTerm(resp.rejectHint(), resp.logTerm()));
  }

  @Test
  void followerDeletesConflictingEntriesAndAppendsTheLeaders_5_3() {
    // init: follower [1 1 2 2], leader's log from index 3 is of term 3
    RaftCore r = core(config(2, 1, 2, 3), 3, log(1, 1, 2, 2));
    // act
    r.step(msg(APP, 1, 2, 3).index(2).logTerm(1).entries(List.of(entry(3, 3))).commit(0).build());
    // check: "If an existing entry conflicts with a new one, delete the existing entry and all that follow it"
    assertEquals(3, r.log.lastIndex());
    assertEquals(3, r.log.term(3));
    assertFalse(takeMsgs(r, APP_RESP).get(0).reject());
  }

  @Test
  void followerDoesNotTruncateOnADuplicateOldMessage_5_3() {
    // init: the follower already has [1 1 1 1]
    RaftCore r = core(config(2, 1, 2, 3), 1, log(1, 1, 1, 1));
    // act: a delayed AppendEntries carrying only entry 2
    r.step(msg(APP, 1, 2, 1).index(1).logTerm(1).entries(List.of(entry(1, 2))).build());
    // check: entries 3 and 4 agree with the leader: keep them
    assertEquals(4, r.log.lastIndex());
    Message resp = takeMsgs(r, APP_RESP).get(0);
    assertFalse(resp.reject());
    assertEquals(2, resp.index(), "acknowledges what this message covered");
  }

  @Test
  void followerCommitIndexIsMinOfLeaderCommitAndLastNewEntry_5_3() {
    RaftCore r = core(config(2, 1, 2, 3), 1, List.of());
    // Leader has committed 5, but sends only entries 1..2.
    r.step(msg(APP, 1, 2, 1).index(0).logTerm(0).entries(log(1, 1)).commit(5).build());
    assertEquals(2, r.log.committed, "set commitIndex = min(leaderCommit, index of last new entry)");
  }

  @Test
  void followerLearnsTheCommitIndexFromTheNextHeartbeat_5_3() {
    RaftCore r = core(config(2, 1, 2, 3), 1, log(1, 1, 1));
    assertEquals(0, r.log.committed);
    r.step(msg(HEARTBEAT, 1, 2, 1).commit(3).build());
    assertEquals(3, r.log.committed);
    assertEquals(HEARTBEAT_RESP, takeMsgs(r).get(0).type());
  }

  @Test
  void leaderDecrementsNextIndexAndRetriesAfterARejection_5_3() {
    // init: leader at term 3 with [1 1 1 3]; follower 2 is behind
    RaftCore r = core(config(1, 1, 2, 3), 2, log(1, 1, 1));
    electLeader(r); // term 3, appends the no-op at 4
    Progress pr = r.trk.progress.get(2L);
    assertEquals(4, pr.next);
    // act: follower 2 has only [1]: rejects prev index 3, hint (index 1, term 1)
    r.step(msg(APP_RESP, 2, 1, 3).index(3).reject(true).rejectHint(1).logTerm(1).build());
    // check: next jumps to 2 in one round trip, and the retry starts there
    assertEquals(2, pr.next);
    Message retry = takeMsgs(r, APP).stream().filter(m -> m.to() == 2).findFirst().orElseThrow();
    assertEquals(1, retry.index());
    assertEquals(3, retry.entries().size());
  }

  @Test
  void leaderIgnoresAStaleRejection_5_3() {
    RaftCore r = core(config(1, 1, 2, 3), 2, log(1, 1, 1));
    electLeader(r);
    r.step(msg(APP_RESP, 2, 1, 3).index(4).build()); // follower 2 caught up: replicate
    Progress pr = r.trk.progress.get(2L);
    long next = pr.next;
    r.step(msg(APP_RESP, 2, 1, 3).index(2).reject(true).rejectHint(1).logTerm(1).build()); // delayed, old
    assertEquals(next, pr.next);
    assertEquals(4, pr.match);
  }

  // ------------------------------------------------------------------ §5.4.1 election restriction

  @Test
  void rejectsVoteWhenCandidateLogIsStale_5_4_1() {
    // init: voter log [1 1 2]
    record Row(long lastTerm, long lastIndex, boolean granted) {}
    for (Row row : List.of(
        new Row(1, 5, false), // a lower last term loses, however long
        new Row(2, 2, false), // same last term, shorter
        new Row(2, 3, true), // same last term, as long
        new Row(2, 4, true), // same last term, longer
        new Row(3, 1, true))) { // a higher last term wins, however short
      RaftCore r = core(config(1, 1, 2, 3), 2, log(1, 1, 2));
      // act
      r.step(msg(VOTE, 2, 1, 3).index(row.lastIndex()).logTerm(row.lastTerm()).build());
      // check
      Message resp = takeMsgs(r, VOTE_RESP).get(0);
      assertEquals(!row.granted(), resp.reject(), row.toString());
      assertEquals(3, r.term, "the term is adopted either way");
    }
  }

  @Test
  void theSeedsVotingRuleWouldElectAStaleCandidate_5_4_1() {
    // The bug switch grants the vote the rule above refuses.
    RaftCore r = core(config(1, 1, 2, 3).bug(Config.InjectedBug.VOTE_WITHOUT_LOG_CHECK), 2, log(1, 1, 2));
    r.step(msg(VOTE, 2, 1, 3).index(1).logTerm(1).build());
    assertFalse(takeMsgs(r, VOTE_RESP).get(0).reject());
  }

  // ------------------------------------------------------------------ §5.4.2 committing entries from previous terms

  @Test
  void leaderDoesNotCommitAnOldTermEntryByCountingReplicas_5_4_2() {
    // init: Figure 8 (c): leader of term 4 holds (term 2, index 2), not committed
    RaftCore r = core(config(1, 1, 2, 3, 4, 5), 3, log(1, 2));
    r.log.committed = 1;
    electLeader(r); // term 4, no-op at 3
    // act: two followers acknowledge index 2 (the old-term entry), not the no-op
    r.step(msg(APP_RESP, 2, 1, 4).index(2).build());
    r.step(msg(APP_RESP, 3, 1, 4).index(2).build());
    // check: 3 of 5 store entry 2, but its term is 2, not 4: not committed by counting
    assertEquals(1, r.log.committed);
    // act: a majority acknowledges the no-op of term 4
    r.step(msg(APP_RESP, 2, 1, 4).index(3).build());
    r.step(msg(APP_RESP, 3, 1, 4).index(3).build());
    // check: committing it commits entry 2 indirectly
    assertEquals(3, r.log.committed);
  }

  @Test
  void theNaiveCommitRuleCommitsTheOldEntry_5_4_2() {
    RaftCore r = core(config(1, 1, 2, 3, 4, 5).bug(Config.InjectedBug.COMMIT_BY_COUNTING_ANY_TERM), 3, log(1, 2));
    r.log.committed = 1;
    electLeader(r);
    r.step(msg(APP_RESP, 2, 1, 4).index(2).build());
    r.step(msg(APP_RESP, 3, 1, 4).index(2).build());
    assertEquals(2, r.log.committed, "this is the unsafe commit Figure 8 (d) overwrites");
  }
}
