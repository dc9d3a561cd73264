/**
 * The cluster's store: a mini etcd built on the pure Raft core ({@code kubelab.raft}).
 *
 * <h2>Layers, bottom up</h2>
 * <ul>
 *   <li>{@code mvcc}: the keyspace as a deterministic state machine ({@code MvccStore}): a global
 *       revision, per-key create/mod revision and version, range/put/delete/txn, watch from any
 *       revision still in history, leases and compaction. It knows nothing of Raft, disks or time.
 *   <li>{@code wal}: the write-ahead log (CRC-framed records in preallocated segments; a torn tail
 *       is truncated with a warning, a corrupt middle refuses to start naming file and offset)
 *       and snapshot files.
 *   <li>{@code transport}: how Raft messages travel: {@code InProcessNetwork} (the embedded cluster,
 *       with fault hooks: partition, drop, duplicate, delay, pause, single-step) and
 *       {@code TcpTransport} (framed, reconnecting; one port per member for peers and clients).
 *   <li>{@code server}: a {@code Member} drives one Raft node in the documented order:
 *       <ol>
 *         <li>persist the Ready's snapshot, entries and hard state (fsync when it must);
 *         <li>send its messages;
 *         <li>apply its committed entries to the keyspace (on the apply thread, in log order),
 *             answering the requests that proposed them and the reads whose ReadIndex is reached;
 *         <li>advance the node.
 *       </ol>
 *       Around it: {@code EmbeddedCluster} (N members in one JVM, the mode {@code ./lab} uses),
 *       {@code StoreServer} (a member as its own process: {@code lab store serve}) and the
 *       client protocol.
 *       <p>Membership ({@code Membership}): who the members are, by id, name and address, is
 *       part of the replicated state. A new cluster's log begins with one ADD_NODE entry per
 *       founder ({@code RawNode.bootstrap}); {@code members add/remove} append single-server
 *       changes (§4.1), checked and applied in log order on every member alike; snapshots
 *       carry the membership with the keyspace ({@code StoreSnapshot}). So a restart comes back
 *       with the current members, and a member that joins later learns them from the leader.
 *   <li>{@code client}: {@code RemoteKvStore} (one member over TCP, pipelined) and
 *       {@code FailoverKvStore} (several members; moves on when one is unreachable).
 *   <li>{@code bench}: the etcd anchor's workload and {@code lab bench store}.
 * </ul>
 *
 * <h2>What the rest of KubeLab sees</h2>
 * Only {@link kubelab.store.KvStore} (etcd v3's KV, Watch and Lease in Java) and {@link
 * kubelab.store.StoreException}. Every implementation (in memory, embedded, remote; real etcd
 * through jetcd too) passes one contract test, {@code KvStoreContract}. Tunables live in
 * {@link kubelab.store.Params}.
 *
 * <h2>Semantics worth knowing</h2>
 * <ul>
 *   <li>Writes and default reads are linearizable: writes through the log, reads through
 *       ReadIndex (batched: one Raft round serves every read that arrived meanwhile);
 *       serializable reads answer from the local member at once and may be stale.
 *   <li>Leases expire on the leader's clock: the leader proposes the revocation through the log,
 *       so every member deletes the keys at the same revision. Keep-alives go through the log
 *       too; a new leader first gives every lease a full TTL (etcd's lessor.Promote).
 *   <li>Errors carry etcd 3.4's wording. {@code UNAVAILABLE} means the request was not sent (safe
 *       to retry); {@code TIMEOUT} means its outcome is unknown.
 * </ul>
 */
package kubelab.store;
