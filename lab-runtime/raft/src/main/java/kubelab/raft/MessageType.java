package kubelab.raft;

/**
 * Every message a Raft node sends or receives. Local messages (HUP, BEAT, PROP from the
 * application, ...) never leave the node; the rest travel over a transport.
 */
public enum MessageType {
  /** Local: start an election (the election timer fired, or the application asked). */
  HUP,
  /** Local: the leader's heartbeat timer fired. */
  BEAT,
  /** A proposal of new entries; followers forward it to the leader. */
  PROP,
  /** AppendEntries RPC (§5.3). */
  APP,
  APP_RESP,
  /** RequestVote RPC (§5.2). */
  VOTE,
  VOTE_RESP,
  /** Pre-vote (dissertation §9.6): would you vote for me? Terms are not bumped. */
  PRE_VOTE,
  PRE_VOTE_RESP,
  /** InstallSnapshot RPC (§7). */
  SNAP,
  /** Heartbeat (an AppendEntries with no entries; carries the commit index). */
  HEARTBEAT,
  HEARTBEAT_RESP,
  /** Local: the transport could not reach a peer. */
  UNREACHABLE,
  /** Local: the result of sending a snapshot. */
  SNAP_STATUS,
  /** Local: the leader checks that it heard from a quorum within an election timeout. */
  CHECK_QUORUM,
  /** Leadership transfer (dissertation §3.10). */
  TRANSFER_LEADER,
  /** Sent by the leader to the transferee: campaign now, ignoring the election timer. */
  TIMEOUT_NOW,
  /** ReadIndex (dissertation §6.4): a linearizable read point. */
  READ_INDEX,
  READ_INDEX_RESP
}
