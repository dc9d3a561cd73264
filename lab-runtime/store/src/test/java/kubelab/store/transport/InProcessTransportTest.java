package kubelab.store.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import kubelab.raft.Message;
import org.junit.jupiter.api.Test;

/** The in-process network passes the transport contract, and its fault hooks do what they say. */
class InProcessTransportTest extends TransportContract {
  private InProcessNetwork net;
  private final Map<Long, Transport> transports = new HashMap<>();
  private final Map<Long, Inbox> inboxes = new HashMap<>();

  @Override
  protected void startCluster() {
    net = new InProcessNetwork(7);
    for (long id = 1; id <= 3; id++) restart(id);
  }

  @Override protected Transport transport(long id) { return transports.get(id); }
  @Override protected Inbox inbox(long id) { return inboxes.get(id); }

  @Override
  protected void stop(long id) {
    transports.get(id).close();
  }

  @Override
  protected void restart(long id) {
    Transport t = net.endpoint(id);
    Inbox in = new Inbox();
    t.start(in);
    transports.put(id, t);
    inboxes.put(id, in);
  }

  @Override
  protected void stopAll() {
    transports.values().forEach(Transport::close);
    if (net != null) net.close();
  }

  @Test
  void aPartitionLosesMessagesAcrossGroupsOnly() throws Exception {
    startCluster();
    net.partition(Set.of(1L), Set.of(2L, 3L));
    transport(1).send(List.of(app(1, 2, 1, 1)));
    transport(2).send(List.of(app(2, 3, 2, 1)));
    assertEquals(2, inbox(3).next().from());
    assertNull(inbox(2).received.poll(100, TimeUnit.MILLISECONDS));
    net.heal();
    transport(1).send(List.of(app(1, 2, 3, 1)));
    assertEquals(3, inbox(2).next().index());
  }

  @Test
  void dropLosesAboutTheGivenShareOfMessages() throws Exception {
    startCluster();
    net.drop(1, 2, 0.5);
    for (int i = 0; i < 1000; i++) transport(1).send(List.of(app(1, 2, i, 0)));
    int n = inbox(2).received.size();
    assertTrue(n > 400 && n < 600, "delivered " + n + " of 1000 at 50% loss");
  }

  @Test
  void duplicateDeliversSomeMessagesTwice() throws Exception {
    startCluster();
    net.duplicate(1.0);
    transport(1).send(List.of(app(1, 2, 5, 0)));
    assertEquals(5, inbox(2).next().index());
    assertEquals(5, inbox(2).next().index());
  }

  @Test
  void delayWithJitterReordersMessages() throws Exception {
    startCluster();
    net.delay(1, 2, 1, 30);
    for (int i = 0; i < 200; i++) transport(1).send(List.of(app(1, 2, i, 0)));
    long prev = -1;
    boolean reordered = false;
    for (int i = 0; i < 200; i++) {
      long idx = inbox(2).next().index();
      if (idx < prev) reordered = true;
      prev = idx;
    }
    assertTrue(reordered, "a 30 ms jitter over 200 messages reorders some");
  }

  @Test
  void aPausedMemberGetsItsMessagesInOrderOnResume() throws Exception {
    startCluster();
    net.pause(2);
    transport(1).send(List.of(app(1, 2, 1, 0), app(1, 2, 2, 0)));
    assertNull(inbox(2).received.poll(100, TimeUnit.MILLISECONDS));
    net.resume(2);
    assertEquals(1, inbox(2).next().index());
    assertEquals(2, inbox(2).next().index());
  }

  @Test
  void stepModeHoldsEveryMessageUntilItIsStepped() throws Exception {
    startCluster();
    net.stepMode(true);
    transport(1).send(List.of(app(1, 2, 1, 0), app(1, 3, 2, 0), app(1, 2, 3, 0)));
    assertEquals(3, net.pending().size());
    assertNull(inbox(2).received.poll(50, TimeUnit.MILLISECONDS));
    Message first = net.step(0);
    assertEquals(1, first.index());
    assertEquals(1, inbox(2).next().index());
    long second = net.pending().get(0).seq();
    assertEquals(2, net.dropPending(second).index());
    net.stepMode(false);
    assertEquals(3, inbox(2).next().index());
    assertTrue(inbox(3).received.isEmpty());
  }
}
