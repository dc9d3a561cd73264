package kubelab.store.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Raft messages over real TCP on loopback pass the transport contract. */
class TcpTransportTest extends TransportContract {
  private static final long CLUSTER = 0xC1;
  private final Map<Long, InetSocketAddress> addrs = new HashMap<>();
  private final Map<Long, TcpListener> listeners = new HashMap<>();
  private final Map<Long, Transport> transports = new HashMap<>();
  private final Map<Long, Inbox> inboxes = new HashMap<>();

  @Override
  protected void startCluster() throws Exception {
    for (long id = 1; id <= 3; id++) {
      TcpListener l = new TcpListener(new InetSocketAddress("127.0.0.1", 0));
      listeners.put(id, l);
      addrs.put(id, l.address());
    }
    for (long id = 1; id <= 3; id++) begin(id, listeners.get(id), CLUSTER);
  }

  private void begin(long id, TcpListener l, long cluster) {
    TcpTransport t = new TcpTransport(id, cluster, addrs, l);
    Inbox in = new Inbox();
    t.start(in);
    l.start();
    transports.put(id, t);
    inboxes.put(id, in);
  }

  @Override protected Transport transport(long id) { return transports.get(id); }
  @Override protected Inbox inbox(long id) { return inboxes.get(id); }

  @Override
  protected void stop(long id) {
    transports.get(id).close();
    listeners.get(id).close();
  }

  @Override
  protected void restart(long id) throws Exception {
    TcpListener l = new TcpListener(addrs.get(id));
    listeners.put(id, l);
    begin(id, l, CLUSTER);
  }

  @Override
  protected void stopAll() {
    transports.values().forEach(Transport::close);
    listeners.values().forEach(TcpListener::close);
  }

  @Test
  void aMemberOfAnotherClusterIsRefused() throws Exception {
    startCluster();
    stop(2);
    TcpListener l = new TcpListener(addrs.get(2L));
    listeners.put(2L, l);
    begin(2, l, 0xDEAD); // same address, other cluster id
    for (int i = 0; i < 10; i++) {
      transport(1).send(List.of(app(1, 2, i, 0)));
      Thread.sleep(30);
    }
    assertNull(inbox(2).received.poll(300, TimeUnit.MILLISECONDS));
  }

  @Test
  void aRemovedMemberIsToldSoAndItsMessagesNoLongerArrive() throws Exception {
    startCluster();
    transport(3).send(List.of(app(3, 1, 5, 1)));
    assertEquals(3, inbox(1).next().from());
    // Member 1 learns that 3 was removed: 3's open connection is closed, and its next hello is
    // answered "removed" (etcd's rafthttp answers a removed member 410 Gone).
    Map<Long, InetSocketAddress> rest = new HashMap<>(addrs);
    rest.remove(3L);
    transport(1).updatePeers(rest, Set.of(3L));
    Long by = null;
    for (int i = 0; i < 100 && by == null; i++) {
      transport(3).send(List.of(app(3, 1, 6, 1)));
      by = inbox(3).removedBy.poll(50, TimeUnit.MILLISECONDS);
    }
    assertEquals(1L, by, "member 3 was told by member 1");
    inbox(1).received.clear();
    transport(3).send(List.of(app(3, 1, 7, 1)));
    assertNull(inbox(1).received.poll(300, TimeUnit.MILLISECONDS));
    // and 1 no longer sends to 3
    transport(1).send(List.of(app(1, 3, 8, 1)));
    assertNull(inbox(3).received.poll(300, TimeUnit.MILLISECONDS));
    // while 1 and 2 carry on
    transport(2).send(List.of(app(2, 1, 9, 1)));
    assertEquals(2, inbox(1).next().from());
  }

  @Test
  void aPeerAddedWhileRunningIsReached() throws Exception {
    startCluster();
    TcpListener l = new TcpListener(new InetSocketAddress("127.0.0.1", 0));
    listeners.put(4L, l);
    addrs.put(4L, l.address());
    begin(4, l, CLUSTER);
    transport(1).updatePeers(new HashMap<>(addrs), Set.of());
    transport(1).send(List.of(app(1, 4, 5, 1)));
    assertEquals(1, inbox(4).next().from());
  }
}
