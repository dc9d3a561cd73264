package kubelab.store.mvcc;

import kubelab.store.KvStore.DeleteRequest;
import kubelab.store.KvStore.PutRequest;
import kubelab.store.KvStore.TxnRequest;

/**
 * A change to the keyspace, as it travels through the replicated log: every member applies the
 * same commands in the same order and so reaches the same state (a replicated state machine).
 *
 * <p>Reads are not commands: they are served from the applied state (after a ReadIndex round when
 * linearizable). Lease expiry is a command too: the leader notices an expired lease on its clock
 * and proposes its revocation, so followers never act on their own clocks (as etcd does).
 */
public sealed interface Command {
  byte[] EMPTY_VALUE = new byte[0];

  record Put(PutRequest request) implements Command {}

  record Delete(DeleteRequest request) implements Command {}

  record Txn(TxnRequest request) implements Command {}

  /** Drops history before {@code revision}. */
  record Compact(long revision) implements Command {}

  /** Grants lease {@code id} (chosen by the proposer, unique) for {@code ttlSeconds}. */
  record LeaseGrant(long id, long ttlSeconds) implements Command {}

  /** Revokes a lease and deletes its keys (a client's revoke, or the leader's expiry). */
  record LeaseRevoke(long id) implements Command {}

  /** A keep-alive: the lease exists at this point of the log; every member restarts its timer. */
  record LeaseRenew(long id) implements Command {}
}
