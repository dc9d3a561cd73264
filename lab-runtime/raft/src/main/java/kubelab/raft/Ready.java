package kubelab.raft;

import java.util.List;

/**
 * Everything the driver must do after the core changed, in this order (see package-info):
 * persist {@code hardState}, {@code entries} and {@code snapshot}; send {@code messages}; apply
 * {@code snapshot} and {@code committedEntries}; then call {@code advance}.
 *
 * @param softState        role and leader, or null if unchanged (not persisted)
 * @param hardState        term/vote/commit to persist, or null if unchanged
 * @param readStates       ReadIndex answers that became ready
 * @param entries          new log entries to persist before sending {@code messages}
 * @param snapshot         a snapshot to persist and apply, or {@link Snapshot#EMPTY}
 * @param committedEntries entries to apply to the state machine, in order
 * @param messages         messages to send after the persist step
 * @param mustSync         whether the persist step must fsync (term, vote or entries changed)
 */
public record Ready(
    SoftState softState,
    HardState hardState,
    List<ReadState> readStates,
    List<Entry> entries,
    Snapshot snapshot,
    List<Entry> committedEntries,
    List<Message> messages,
    boolean mustSync) {

  public record SoftState(long leader, Role role) {}

  public enum Role { FOLLOWER, PRE_CANDIDATE, CANDIDATE, LEADER }
}
