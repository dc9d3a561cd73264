package kubelab.raft;

import static kubelab.raft.Fixtures.config;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Where a node's membership comes from (dissertation §4.1 with etcd's "applied" rule): the
 * configuration persisted with the snapshot, then every CONF_CHANGE entry as it is applied; the
 * founding membership either in the log ({@link RawNode#bootstrap}) or as {@link Config#peers()},
 * which counts only when storage holds no membership. A restart must come back with the
 * membership its storage implies, whatever Config.peers says.
 */
class MembershipRecoveryTest {

  /** One driver step for a set of nodes: persist, deliver, apply (conf changes too), advance. */
  static final class Cluster {
    final TreeMap<Long, RawNode> nodes = new TreeMap<>();
    final Map<Long, MemoryStorage> disks = new TreeMap<>();

    RawNode add(long id, Config.Builder config) {
      MemoryStorage s = disks.computeIfAbsent(id, k -> new MemoryStorage());
      RawNode n = RawNode.create(config.build(), s);
      nodes.put(id, n);
      return n;
    }

    void stabilize() {
      for (int round = 0; round < 100; round++) {
        List<Message> msgs = new ArrayList<>();
        boolean any = false;
        for (var e : nodes.entrySet()) {
          RawNode n = e.getValue();
          while (n.hasReady()) {
            any = true;
            Ready rd = n.ready();
            RawNodeTest.persist(disks.get(e.getKey()), rd);
            msgs.addAll(rd.messages());
            for (Entry en : rd.committedEntries()) {
              if (en.type() == Entry.Type.CONF_CHANGE) n.applyConfChange(ConfChange.decode(en.data()));
            }
            n.advance(rd);
          }
        }
        for (Message m : msgs) {
          RawNode to = nodes.get(m.to());
          if (to != null) to.step(m);
        }
        if (!any && msgs.isEmpty()) return;
      }
      throw new AssertionError("the cluster did not settle");
    }
  }

  static ConfState voters(RawNode n) {
    return n.status().confState();
  }

  @Test
  void bootstrapWritesTheFoundingMembershipIntoTheLogAsCommittedEntries() {
    // init: a brand-new node that knows no peers
    MemoryStorage s = new MemoryStorage();
    RawNode n = RawNode.create(config(1).build(), s);
    // act
    n.bootstrap(List.of(1L, 2L, 3L));
    Ready rd = n.ready();
    // check: one ADD_NODE per founder at 1..3, term 1, committed, to persist and apply
    assertEquals(new HardState(1, 0, 3), rd.hardState());
    assertEquals(3, rd.entries().size());
    assertEquals(3, rd.committedEntries().size());
    for (int i = 0; i < 3; i++) {
      Entry e = rd.entries().get(i);
      assertEquals(Entry.Type.CONF_CHANGE, e.type());
      assertEquals(1, e.term());
      assertEquals(i + 1, e.index());
      assertEquals(new ConfChange(ConfChange.Type.ADD_NODE, i + 1, null).type(), ConfChange.decode(e.data()).type());
      assertEquals(i + 1, ConfChange.decode(e.data()).nodeId());
    }
    assertEquals(List.of(), voters(n).voters(), "a voter only once the driver applies the entries");
    RawNodeTest.persist(s, rd);
    for (Entry e : rd.committedEntries()) n.applyConfChange(ConfChange.decode(e.data()));
    n.advance(rd);
    assertEquals(List.of(1L, 2L, 3L), voters(n).voters());
  }

  @Test
  void bootstrapRefusesStorageThatIsNotEmptyAndAPeerListGivenToo() {
    MemoryStorage used = new MemoryStorage();
    used.append(Fixtures.log(1));
    RawNode a = RawNode.create(config(1).build(), used);
    assertTrue(assertThrows(IllegalStateException.class, () -> a.bootstrap(List.of(1L))).getMessage().contains("storage is not empty"));
    RawNode b = RawNode.create(config(1, 1, 2, 3).build(), new MemoryStorage());
    assertTrue(assertThrows(IllegalStateException.class, () -> b.bootstrap(List.of(1L))).getMessage().contains("Config.peers"));
  }

  @Test
  void aRestartRebuildsTheMembershipFromItsLogWithoutAPeerList_4_1() {
    // init: a one-voter cluster founded in the log; it adds learner 2 (commits on its own)
    Cluster c = new Cluster();
    RawNode n = c.add(1, config(1));
    n.bootstrap(List.of(1L));
    c.stabilize();
    n.campaign();
    c.stabilize();
    n.proposeConfChange(new ConfChange(ConfChange.Type.ADD_LEARNER, 2, null));
    c.stabilize();
    assertEquals(new ConfState(List.of(1L), List.of(2L)), voters(n));
    // act: crash and restart from the disk, with no peer list
    RawNode back = c.add(1, config(1));
    // check: nothing applied yet, so no membership; replaying the committed log restores it
    assertEquals(List.of(), voters(back).voters());
    c.stabilize();
    assertEquals(new ConfState(List.of(1L), List.of(2L)), voters(back));
  }

  @Test
  void aRestartTakesTheSnapshotsMembershipOverConfigPeers_4_1() {
    // init: the disk holds a snapshot at 5 taken after member 3 was replaced by member 4
    MemoryStorage s = new MemoryStorage();
    s.applySnapshot(new Snapshot(5, 2, ConfState.of(1, 2, 4), "state@5".getBytes()));
    s.setHardState(new HardState(2, 0, 5));
    // act: restart with the founding peer list
    RawNode n = RawNode.create(config(1, 1, 2, 3).applied(5).build(), s);
    // check
    assertEquals(List.of(1L, 2L, 4L), voters(n).voters());
  }

  @Test
  void aRestartWithAppliedBeyondTheSnapshotKeepsTheConfChangesInBetween_4_1() {
    // init: entries 1..3 persisted and committed; entry 2 added member 4; the application says
    // it applied up to 3 (its state is persisted elsewhere), so entries 1..3 are not handed out again
    MemoryStorage s = new MemoryStorage();
    s.append(List.of(Fixtures.entry(1, 1),
        new Entry(1, 2, Entry.Type.CONF_CHANGE, new ConfChange(ConfChange.Type.ADD_NODE, 4, null).encode()),
        Fixtures.entry(1, 3)));
    s.setHardState(new HardState(1, 0, 3));
    // act
    RawNode n = RawNode.create(config(1, 1, 2, 3).applied(3).build(), s);
    // check: member 4 is there although no Ready will carry entry 2 again
    assertEquals(List.of(1L, 2L, 3L, 4L), voters(n).voters());
    assertFalse(n.hasReady() && !n.ready().committedEntries().isEmpty(), "nothing up to applied is handed out again");
  }

  @Test
  void aMemberAddedFromEmptyStorageLearnsEveryoneFromTheLog_4_1() {
    // init: a one-voter cluster founded in the log
    Cluster c = new Cluster();
    RawNode leader = c.add(1, config(1));
    leader.bootstrap(List.of(1L));
    c.stabilize();
    leader.campaign();
    c.stabilize();
    // act: node 2 starts from empty storage knowing nobody; the leader adds it
    RawNode joiner = c.add(2, config(2));
    assertEquals(List.of(), voters(joiner).voters());
    leader.proposeConfChange(new ConfChange(ConfChange.Type.ADD_NODE, 2, null));
    c.stabilize();
    // check: the joiner replayed the founding entry and its own addition
    assertEquals(List.of(1L, 2L), voters(joiner).voters());
    assertEquals(voters(leader), voters(joiner));
    // and a write now needs both
    leader.propose("x".getBytes());
    c.stabilize();
    assertEquals(leader.status().commit(), joiner.status().commit());
  }
}
