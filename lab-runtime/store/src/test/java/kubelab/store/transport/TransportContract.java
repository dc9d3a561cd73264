package kubelab.store.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import kubelab.raft.ConfState;
import kubelab.raft.Entry;
import kubelab.raft.Message;
import kubelab.raft.MessageType;
import kubelab.raft.Snapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What every {@link Transport} guarantees; one subclass per implementation. */
public abstract class TransportContract {
  /** A record of what one member's transport delivered and reported. */
  protected static final class Inbox implements Transport.Handler {
    final LinkedBlockingQueue<Message> received = new LinkedBlockingQueue<>();
    final Map<Long, Integer> unreachable = new ConcurrentHashMap<>();
    final LinkedBlockingQueue<String> snapshots = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<Long> removedBy = new LinkedBlockingQueue<>();

    @Override public void receive(Message m) { received.add(m); }
    @Override public void unreachable(long peer) { unreachable.merge(peer, 1, Integer::sum); }
    @Override public void snapshotStatus(long peer, boolean ok) { snapshots.add(peer + (ok ? " ok" : " failed")); }
    @Override public void removed(long by) { removedBy.add(by); }

    Message next() throws InterruptedException {
      Message m = received.poll(10, TimeUnit.SECONDS);
      assertNotNull(m, "no message within 10 s");
      return m;
    }
  }

  /** Members 1..3, each with a started transport and inbox. */
  protected abstract void startCluster() throws Exception;

  protected abstract Transport transport(long id);

  protected abstract Inbox inbox(long id);

  /** Stops member {@code id}'s transport (as if its process died). */
  protected abstract void stop(long id) throws Exception;

  /** Starts member {@code id} again (same address), with a fresh inbox. */
  protected abstract void restart(long id) throws Exception;

  protected abstract void stopAll() throws Exception;

  @AfterEach
  void tearDown() throws Exception {
    stopAll();
  }

  protected static Message app(long from, long to, long index, int entries) {
    List<Entry> es = new ArrayList<>();
    for (int i = 0; i < entries; i++) es.add(Entry.normal(3, index + 1 + i, ("v" + i).getBytes()));
    return Message.builder(MessageType.APP).from(from).to(to).term(3).logTerm(2).index(index).commit(index - 1)
        .entries(es).context(new byte[] {7}).build();
  }

  @Test
  void aMessageArrivesWithEveryField() throws Exception {
    startCluster();
    Message m = app(1, 2, 10, 3);
    transport(1).send(List.of(m));
    Message got = inbox(2).next();
    assertEquals(m.type(), got.type());
    assertEquals(1, got.from());
    assertEquals(2, got.to());
    assertEquals(3, got.term());
    assertEquals(2, got.logTerm());
    assertEquals(10, got.index());
    assertEquals(9, got.commit());
    assertEquals(3, got.entries().size());
    assertArrayEquals("v2".getBytes(), got.entries().get(2).data());
    assertArrayEquals(new byte[] {7}, got.context());
  }

  @Test
  void messagesBetweenTwoMembersArriveInOrder() throws Exception {
    startCluster();
    List<Message> batch = new ArrayList<>();
    for (int i = 1; i <= 2000; i++) batch.add(app(1, 3, i, 1));
    for (int i = 0; i < batch.size(); i += 100) transport(1).send(batch.subList(i, i + 100));
    for (int i = 1; i <= 2000; i++) assertEquals(i, inbox(3).next().index());
  }

  @Test
  void aLargeSnapshotArrivesAndItsDeliveryIsReported() throws Exception {
    startCluster();
    byte[] data = new byte[8 << 20];
    for (int i = 0; i < data.length; i += 4096) data[i] = (byte) i;
    Message snap = Message.builder(MessageType.SNAP).from(1).to(2).term(4)
        .snapshot(new Snapshot(100, 4, ConfState.of(1, 2, 3), data)).build();
    transport(1).send(List.of(snap));
    Message got = inbox(2).next();
    assertEquals(100, got.snapshot().index());
    assertEquals(List.of(1L, 2L, 3L), got.snapshot().confState().voters());
    assertArrayEquals(data, got.snapshot().data());
    assertEquals("2 ok", inbox(1).snapshots.poll(10, TimeUnit.SECONDS));
  }

  @Test
  void aDownPeerIsReportedUnreachableAndMessagesFlowAgainAfterItRestarts() throws Exception {
    startCluster();
    stop(2);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (inbox(1).unreachable.getOrDefault(2L, 0) == 0) {
      assertTrue(System.nanoTime() < deadline, "peer 2 never reported unreachable");
      transport(1).send(List.of(app(1, 2, 1, 1)));
      Thread.sleep(50);
    }
    restart(2);
    deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    Message got = null;
    while (got == null) {
      assertTrue(System.nanoTime() < deadline, "no message reached the restarted peer");
      transport(1).send(List.of(app(1, 2, 42, 1)));
      got = inbox(2).received.poll(100, TimeUnit.MILLISECONDS);
    }
    assertEquals(1, got.from());
  }

  @Test
  void sendingNeverBlocksEvenToADeadPeer() throws Exception {
    startCluster();
    stop(3);
    long t0 = System.nanoTime();
    for (int i = 0; i < 20_000; i++) transport(1).send(List.of(app(1, 3, i, 1)));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertTrue(ms < 5000, "20k sends to a dead peer took " + ms + " ms");
  }

  @Test
  void nothingIsDeliveredAfterClose() throws Exception {
    startCluster();
    transport(1).send(List.of(app(1, 2, 1, 1)));
    inbox(2).next();
    stop(2);
    transport(1).send(List.of(app(1, 2, 2, 1)));
    assertNull(inbox(2).received.poll(300, TimeUnit.MILLISECONDS));
  }
}
