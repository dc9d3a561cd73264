package kubelab.store.transport;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kubelab.raft.Message;

/**
 * How a member's Raft messages reach its peers: best effort, never blocking the sender.
 *
 * <p>Contract (checked by {@code TransportContract} for every implementation):
 * <ul>
 *   <li>{@link #send} returns at once; a message may be lost (Raft retransmits), but messages
 *       between one pair of members that are delivered arrive in the order they were sent, unless a
 *       fault hook reorders them on purpose.
 *   <li>Delivery calls {@link Handler#receive} from a transport thread; the handler must only
 *       enqueue (the member's loop does the work).
 *   <li>When a peer cannot be reached the transport calls {@link Handler#unreachable} (the core
 *       then probes it gently instead of streaming entries into the void), and keeps trying to
 *       reconnect.
 *   <li>A snapshot message's fate is reported through {@link Handler#snapshotStatus}.
 *   <li>{@link #close} stops every thread and connection; nothing is delivered afterwards.
 *   <li>The set of peers may change while running ({@link #updatePeers}: membership changes).
 * </ul>
 */
public interface Transport extends AutoCloseable {
  interface Handler {
    void receive(Message m);

    default void unreachable(long peer) {}

    default void snapshotStatus(long peer, boolean delivered) {}

    /** Member {@code by} refused this member as one removed from the cluster (etcd's "member has been permanently removed"). */
    default void removed(long by) {}
  }

  /** Begins delivering messages addressed to this member. Called once. */
  void start(Handler handler);

  /** Queues each message for its {@code to}; messages to unknown members are dropped. */
  void send(List<Message> messages);

  /**
   * The members changed: from now on reach each peer at its address in {@code peers}, and refuse
   * the members in {@code removed} (telling them so, where the transport can). May be called
   * before {@link #start} and from any thread. The in-process network needs no addresses.
   */
  default void updatePeers(Map<Long, InetSocketAddress> peers, Set<Long> removed) {}

  @Override
  void close();
}
