package kubelab.client.workqueue;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import kubelab.testkit.FakeClock;
import org.junit.jupiter.api.Test;

/** client-go workqueue semantics: dedup, one worker per key, re-adds wait for done, delays, shutdown. */
class WorkQueueTest {
  final FakeClock clock = new FakeClock();
  final WorkQueue<String> q = new WorkQueue<>("test", clock);

  @Test void addingAQueuedKeyAgainIsDeduplicated() throws Exception {
    q.add("a");
    q.add("b");
    q.add("a");
    assertEquals(2, q.len());
    assertEquals("a", q.get());
    assertEquals("b", q.get());
    assertEquals(0, q.len());
  }

  @Test void aKeyBeingProcessedIsNotHandedToASecondWorkerUntilDone() throws Exception {
    q.add("a");
    assertEquals("a", q.get());
    q.add("a");                       // re-added while processing
    assertEquals(0, q.len(), "must wait for done");
    q.add("a");                       // and again: still one pending
    q.done("a");
    assertEquals(1, q.len(), "re-added key is queued once on done");
    assertEquals("a", q.get());
    q.done("a");
    assertEquals(0, q.len());
  }

  @Test void doneWithoutReAddLeavesTheQueueEmpty() throws Exception {
    q.add("a");
    q.get();
    q.done("a");
    assertEquals(0, q.len());
    assertEquals(0, q.metrics().processing());
  }

  @Test void keysComeOutInFifoOrder() throws Exception {
    for (String k : List.of("c", "a", "b")) q.add(k);
    assertEquals(List.of("c", "a", "b"), List.of(q.get(), q.get(), q.get()));
  }

  @Test void addAfterWaitsForTheClock() throws Exception {
    q.addAfter("a", Duration.ofSeconds(5));
    assertEquals(0, q.len());
    assertEquals(1, q.metrics().delayed());
    clock.advance(Duration.ofMillis(4999));
    assertEquals(0, q.len());
    clock.advance(Duration.ofMillis(1));
    assertEquals(1, q.len());
    assertEquals("a", q.get());
  }

  @Test void addAfterKeepsTheEarlierReadyTimeForOneKey() throws Exception {
    q.addAfter("a", Duration.ofSeconds(10));
    q.addAfter("a", Duration.ofSeconds(2));
    q.addAfter("a", Duration.ofSeconds(7));
    assertEquals(1, q.metrics().delayed());
    clock.advance(Duration.ofSeconds(2));
    assertEquals(1, q.len());
    clock.advance(Duration.ofSeconds(10));
    q.get();
    assertEquals(0, q.len(), "later ready times for the same key were dropped");
  }

  @Test void delayedItemsBecomeReadyInReadyTimeOrder() throws Exception {
    q.addAfter("late", Duration.ofSeconds(3));
    q.addAfter("early", Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(5));
    assertEquals("early", q.get());
    assertEquals("late", q.get());
  }

  @Test void aBlockedGetWakesWhenAnotherThreadReleasesADueItem() throws Exception {
    q.addAfter("a", Duration.ofHours(1));
    CountDownLatch got = new CountDownLatch(1);
    Thread t = new Thread(() -> {
      try {
        if ("a".equals(q.get())) got.countDown();
      } catch (InterruptedException ignored) {}
    });
    t.start();
    clock.advance(Duration.ofHours(1));
    q.len(); // promotes the due item and signals the waiting getter
    assertTrue(got.await(5, TimeUnit.SECONDS), "blocked get() did not receive the due item");
    t.join();
  }

  @Test void shutDownDrainsQueuedKeysThenReturnsNull() throws Exception {
    q.add("a");
    q.shutDown();
    q.add("b");                      // ignored after shutdown
    assertEquals("a", q.get());
    assertNull(q.get());
    assertTrue(q.shuttingDown());
  }

  @Test void shutDownReleasesBlockedWorkers() throws Exception {
    CountDownLatch exited = new CountDownLatch(2);
    for (int i = 0; i < 2; i++) {
      new Thread(() -> {
        try {
          if (q.get() == null) exited.countDown();
        } catch (InterruptedException ignored) {}
      }).start();
    }
    q.shutDown();
    assertTrue(exited.await(5, TimeUnit.SECONDS));
  }

  @Test void shutDownWithDrainWaitsForInFlightWork() throws Exception {
    q.add("a");
    assertEquals("a", q.get());
    CountDownLatch drained = new CountDownLatch(1);
    Thread t = new Thread(() -> {
      try {
        q.shutDownWithDrain();
        drained.countDown();
      } catch (InterruptedException ignored) {}
    });
    t.start();
    assertFalse(drained.await(100, TimeUnit.MILLISECONDS), "returned while 'a' was still processing");
    q.done("a");
    assertTrue(drained.await(5, TimeUnit.SECONDS));
  }

  @Test void concurrentWorkersNeverProcessOneKeyAtTheSameTime() throws Exception {
    int workers = 4, keys = 20, rounds = 200;
    ConcurrentHashMap<String, Boolean> inFlight = new ConcurrentHashMap<>();
    AtomicInteger violations = new AtomicInteger();
    AtomicInteger processed = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      Thread t = new Thread(() -> {
        try {
          String k;
          while ((k = q.get()) != null) {
            if (inFlight.putIfAbsent(k, true) != null) violations.incrementAndGet();
            Thread.yield();
            inFlight.remove(k);
            processed.incrementAndGet();
            q.done(k);
          }
        } catch (InterruptedException ignored) {}
      });
      t.start();
      threads.add(t);
    }
    List<String> all = new ArrayList<>();
    for (int r = 0; r < rounds; r++) for (int k = 0; k < keys; k++) all.add("k" + k);
    Collections.shuffle(all, new java.util.Random(1));
    for (String k : all) q.add(k);
    q.shutDownWithDrain();
    for (Thread t : threads) t.join(5000);
    assertEquals(0, violations.get(), "a key was processed by two workers at once");
    assertTrue(processed.get() >= keys && processed.get() <= keys * rounds,
        "processed " + processed.get());
  }

  @Test void metricsCountAddsDepthAndLatency() throws Exception {
    q.add("a");
    q.add("a");
    q.add("b");
    clock.advance(Duration.ofMillis(300));
    QueueMetrics m = q.metrics();
    assertEquals(2, m.depth());
    assertEquals(3, m.adds());
    q.get();
    clock.advance(Duration.ofMillis(100));
    m = q.metrics();
    assertEquals(1, m.processing());
    assertEquals(Duration.ofMillis(300), m.maxQueueLatency());
    assertEquals(Duration.ofMillis(100), m.longestRunning());
    q.done("a");
    assertEquals(Duration.ofMillis(100), q.metrics().meanWorkDuration());
  }
}
