/**
 * A pure Raft consensus core, written to be read next to the paper (Ongaro and Ousterhout,
 * "In Search of an Understandable Consensus Algorithm", 2014; Figure 2 is the map) and Ongaro's
 * dissertation (PreVote, CheckQuorum, ReadIndex, leadership transfer, single-server membership
 * changes). The shape is etcd raft's: the core never owns a thread, socket, file, clock or global
 * random source. Time is {@link kubelab.raft.RawNode#tick()}; randomness comes from the seeded
 * generator in {@link kubelab.raft.Config}; a unit test checks that no I/O or clock API appears
 * in this package.
 *
 * <h2>The driver loop</h2>
 *
 * A single driver (the store's, the simulator's, a test's) owns the node and repeats:
 *
 * <ol>
 *   <li><b>Input.</b> Call {@code tick()} every tick interval, {@code step(m)} for every message
 *       from the network, {@code propose(data)} / {@code readIndex(ctx)} for client requests.
 *   <li><b>Ready.</b> If {@code hasReady()}, take {@code Ready rd = node.ready()}.
 *   <li><b>Persist.</b> Write {@code rd.snapshot()} (if not empty), append {@code rd.entries()}
 *       and save {@code rd.hardState()} (if not null) to stable storage, and fsync if
 *       {@code rd.mustSync()}. This comes first because the messages below promise it: a vote
 *       granted, or entries acknowledged, must survive a crash (Figure 2: "Updated on stable
 *       storage before responding to RPCs").
 *   <li><b>Send.</b> Send {@code rd.messages()} to their peers (order per peer preserved is
 *       nice, not required; loss, duplication and reordering are all tolerated). After sending a
 *       snapshot message, report its fate with {@code reportSnapshot(to, ok)}; when a peer is
 *       unreachable, {@code reportUnreachable(to)}.
 *   <li><b>Apply.</b> Apply {@code rd.snapshot()} (if not empty) and then
 *       {@code rd.committedEntries()} in order to the state machine; for a CONF_CHANGE entry
 *       decode it ({@code ConfChange.decode}) and call {@code applyConfChange}. Serve the reads in
 *       {@code rd.readStates()} once the applied index reaches each one's index.
 *   <li><b>Advance.</b> Call {@code node.advance(rd)}, then go back to 1.
 * </ol>
 *
 * <h2>Map of the package</h2>
 *
 * <ul>
 *   <li>{@link kubelab.raft.RawNode}: the API above. {@code RaftCore}: terms, elections, votes,
 *       the follower's rules. {@code Leader}: replication, commitment, heartbeats, ReadIndex,
 *       leadership transfer.
 *   <li>{@code RaftLog} and {@code Unstable}: the log, its persisted and unpersisted parts, the
 *       commit and apply cursors. {@link kubelab.raft.Storage} / {@link kubelab.raft.MemoryStorage}:
 *       where persisted entries are read back.
 *   <li>{@code ProgressTracker}, {@code Progress}, {@code Inflights}: majorities, the leader's
 *       per-follower state and flow control. {@code ReadOnly}: pending ReadIndex requests.
 *   <li>Subpackages: {@code scenario} (the datadriven script verbs, also the REPL's),
 *       {@code sim} (deterministic whole-cluster simulation), {@code check} (the linearizability
 *       checker), {@code bench} (the core benchmark).
 * </ul>
 */
package kubelab.raft;
