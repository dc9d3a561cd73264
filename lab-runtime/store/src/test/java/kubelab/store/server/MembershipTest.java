package kubelab.store.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kubelab.raft.ConfChange;
import kubelab.raft.Entry;
import kubelab.store.KvStore;
import kubelab.store.codec.CommandCodec;
import kubelab.store.mvcc.Command;
import org.junit.jupiter.api.Test;

/**
 * The membership rules every member applies alike (etcd's membership errors), the snapshot
 * envelope that carries the membership, and the log decoder's words for each kind of entry.
 */
class MembershipTest {
  private static final Peers FOUNDERS = founders();

  private static Peers founders() {
    Map<String, InetSocketAddress> m = new LinkedHashMap<>();
    for (int i = 1; i <= 3; i++) m.put("s" + i, InetSocketAddress.createUnresolved("127.0.0.1", 2000 + i));
    return Peers.of(m);
  }

  private static ConfChange add(long id, String name, String addr) {
    return new ConfChange(ConfChange.Type.ADD_NODE, id, Membership.context(7, name, addr));
  }

  private static ConfChange remove(long id) {
    return new ConfChange(ConfChange.Type.REMOVE_NODE, id, Membership.context(8, "s" + id, "x:1"));
  }

  private static Membership bootstrapped() {
    Membership m = Membership.founding(FOUNDERS);
    for (long id = 1; id <= 3; id++) {
      ConfChange cc = new ConfChange(ConfChange.Type.ADD_NODE, id, null);
      assertNull(m.check(cc));
      m = m.apply(cc);
    }
    return m;
  }

  @Test
  void theBootstrapEntriesAddTheFoundersAndNobodyElse() {
    Membership m = bootstrapped();
    assertEquals(List.of("s1", "s2", "s3"), m.members().stream().map(Peers.Peer::name).toList());
    assertEquals("membership: ID exists", m.check(new ConfChange(ConfChange.Type.ADD_NODE, 1, null)));
    assertTrue(m.check(new ConfChange(ConfChange.Type.ADD_NODE, 9, null)).contains("not a founding member"));
    assertEquals(Membership.legacy(FOUNDERS).members(), m.members(), "a legacy log starts where bootstrap entries lead");
  }

  @Test
  void addsAndRemovesFollowEtcdsRulesAndIdsAreNeverReused() {
    Membership m = bootstrapped();
    assertEquals(4, m.nextId());
    assertTrue(m.check(add(4, "s2", "127.0.0.1:9")).startsWith("membership: name exists"));
    assertTrue(m.check(add(4, "s4", "127.0.0.1:2002")).startsWith("membership: peerURL exists"));
    assertEquals("membership: ID exists", m.check(add(2, "s9", "127.0.0.1:9")));
    m = m.apply(add(4, "s4", "127.0.0.1:2004"));
    assertEquals("s4", m.member(4).name());
    assertNull(m.check(remove(1)));
    m = m.apply(remove(1));
    assertEquals(Set.of(1L), m.removed());
    assertEquals("membership: ID removed", m.check(remove(1)));
    assertEquals("membership: ID removed", m.check(add(1, "s1", "127.0.0.1:2001")));
    assertEquals("membership: ID not found", m.check(remove(7)));
    assertEquals(5, m.nextId(), "ids are never reused");
    assertTrue(m.check(add(5, "s1", "127.0.0.1:2001")) == null, "a name and address are free again once their member is gone");
    assertEquals(Map.of(2L, m.member(2).address(), 3L, m.member(3).address(), 4L, m.member(4).address()), m.addresses());
    Membership last = Membership.legacy(Peers.of(Map.of("a", InetSocketAddress.createUnresolved("h", 1))));
    assertEquals("membership: cannot remove the last member", last.check(remove(1)));
    assertEquals("membership: learners are not supported by the store",
        m.check(new ConfChange(ConfChange.Type.ADD_LEARNER, 6, Membership.context(1, "l", "h:6"))));
  }

  @Test
  void theSnapshotCarriesTheMembershipAndReadsOldKeyspaceOnlySnapshots() {
    Membership m = bootstrapped().apply(add(4, "s4", "127.0.0.1:2004")).apply(remove(2));
    byte[] keyspace = {1, 2, 3, 4};
    StoreSnapshot s = StoreSnapshot.decode(new StoreSnapshot(m, keyspace).encode());
    assertEquals(m, s.membership());
    assertArrayEquals(keyspace, s.keyspace());
    StoreSnapshot old = StoreSnapshot.decode(keyspace); // format 1: the keyspace alone
    assertNull(old.membership());
    assertArrayEquals(keyspace, old.keyspace());
  }

  @Test
  void theLogDecoderNamesEachCommand() {
    Membership m = bootstrapped();
    assertEquals("CONF_CHANGE add s2 (id 2, founding member)",
        LogView.describe(new Entry(1, 2, Entry.Type.CONF_CHANGE, new ConfChange(ConfChange.Type.ADD_NODE, 2, null).encode()), m));
    assertEquals("CONF_CHANGE add s4 (id 4, 127.0.0.1:2004)",
        LogView.describe(new Entry(2, 9, Entry.Type.CONF_CHANGE, add(4, "s4", "127.0.0.1:2004").encode()), m));
    assertEquals("CONF_CHANGE remove s2 (id 2)", LogView.describe(new Entry(2, 9, Entry.Type.CONF_CHANGE, remove(2).encode()), m));
    assertEquals("EMPTY (a new leader's first entry of its term)", LogView.describe(Entry.normal(2, 4, new byte[0]), m));
    assertEquals("PUT /registry/configmaps/default/x (3 bytes)",
        describe(5, new Command.Put(KvStore.PutRequest.of("/registry/configmaps/default/x", new byte[3]))));
    assertEquals("DELETE --prefix /registry/pods/", describe(5, new Command.Delete(KvStore.DeleteRequest.prefix("/registry/pods/"))));
    var txn = new KvStore.TxnRequest(List.of(KvStore.Compare.modRevision("/k", KvStore.Compare.Result.EQUAL, 42)),
        List.of(KvStore.PutRequest.of("/k", new byte[2])), List.of(KvStore.RangeRequest.key("/k")));
    assertEquals("TXN if mod_revision(/k) = 42 then PUT /k (2 bytes) else RANGE /k", describe(5, new Command.Txn(txn)));
    assertEquals("LEASE_REVOKE 1f (expired: proposed by the leader)", describe(0, new Command.LeaseRevoke(0x1f)));
    assertEquals("LEASE_REVOKE 1f", describe(5, new Command.LeaseRevoke(0x1f)));
    assertEquals("COMPACT revision 40 (auto-compaction)", describe(0, new Command.Compact(40)));
    assertTrue(LogView.describe(Entry.normal(2, 4, new byte[] {5, (byte) 0xEE}), m).startsWith("(does not decode: "));
  }

  private static String describe(long requestId, Command c) {
    return LogView.describe(Entry.normal(3, 10, CommandCodec.encodeEntry(requestId, c)), bootstrapped());
  }
}
