package kubelab.client.informer;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import kubelab.api.core.Pod;
import org.junit.jupiter.api.Test;

/** DeltaFIFO rules: per-key delta lists, delete dedup, relist deletions, resync, hasSynced. */
class DeltaFifoTest {
  final Indexer<Pod> known = new Indexer<>();
  final DeltaFifo<Pod> fifo = new DeltaFifo<>(known);

  static Pod pod(String name, String rv) {
    Pod p = new Pod();
    p.metadata.namespace = "default";
    p.metadata.name = name;
    p.metadata.resourceVersion = rv;
    return p;
  }

  List<Delta<Pod>> popOne() throws InterruptedException {
    List<List<Delta<Pod>>> got = new ArrayList<>();
    assertTrue(fifo.pop((d, initial) -> got.add(d), Duration.ofSeconds(1)), "nothing to pop");
    return got.get(0);
  }

  static List<Delta.Type> types(List<Delta<Pod>> ds) {
    List<Delta.Type> t = new ArrayList<>();
    for (Delta<Pod> d : ds) t.add(d.type());
    return t;
  }

  @Test void changesToOneKeyQueueOnceAndPopTogetherInOrder() throws Exception {
    fifo.add(pod("a", "1"));
    fifo.add(pod("b", "2"));
    fifo.update(pod("a", "3"));
    assertEquals(2, fifo.size());
    List<Delta<Pod>> a = popOne();
    assertEquals(List.of(Delta.Type.ADDED, Delta.Type.UPDATED), types(a));
    assertEquals("3", a.get(1).object().metadata.resourceVersion);
    assertEquals("b", popOne().get(0).object().metadata.name);
  }

  @Test void deleteOfAnObjectNobodySawIsIgnored() {
    fifo.delete(pod("ghost", "9"));
    assertEquals(0, fifo.size());
  }

  @Test void twoDeletesInARowCollapseKeepingTheKnownFinalState() throws Exception {
    known.add(pod("a", "1"));
    fifo.replace(List.of());              // relist without a: DELETED, final state unknown
    fifo.delete(pod("a", "2"));           // then the real DELETED
    List<Delta<Pod>> d = popOne();
    assertEquals(List.of(Delta.Type.DELETED), types(d));
    assertFalse(d.get(0).finalStateUnknown(), "the watch's delete, with the final state, is kept");
  }

  @Test void replaceQueuesReplacedForListedAndDeletedForVanished() throws Exception {
    known.add(pod("stays", "1"));
    known.add(pod("gone", "1"));
    fifo.replace(List.of(pod("stays", "5"), pod("new", "6")));
    assertEquals(List.of(Delta.Type.REPLACED), fifo.deltas("default/stays").stream().map(Delta::type).toList());
    assertEquals(List.of(Delta.Type.REPLACED), fifo.deltas("default/new").stream().map(Delta::type).toList());
    List<Delta<Pod>> gone = fifo.deltas("default/gone");
    assertEquals(1, gone.size());
    assertEquals(Delta.Type.DELETED, gone.get(0).type());
    assertTrue(gone.get(0).finalStateUnknown());
    assertEquals("1", gone.get(0).object().metadata.resourceVersion, "carries the last known state");
  }

  @Test void resyncQueuesSyncOnlyForKeysWithNothingPending() throws Exception {
    known.add(pod("a", "1"));
    known.add(pod("b", "1"));
    fifo.update(pod("a", "2"));
    fifo.resync();
    assertEquals(List.of(Delta.Type.UPDATED), types(fifo.deltas("default/a")), "a newer change is on its way");
    assertEquals(List.of(Delta.Type.SYNC), types(fifo.deltas("default/b")));
  }

  @Test void hasSyncedOnlyAfterTheInitialListIsProcessed() throws Exception {
    assertFalse(fifo.hasSynced());
    fifo.replace(List.of(pod("a", "1"), pod("b", "1")));
    assertFalse(fifo.hasSynced());
    List<Boolean> initialFlags = new ArrayList<>();
    fifo.pop((d, initial) -> initialFlags.add(initial), Duration.ofSeconds(1));
    assertFalse(fifo.hasSynced());
    fifo.add(pod("c", "2"));              // arrives after the list; does not delay sync
    fifo.pop((d, initial) -> initialFlags.add(initial), Duration.ofSeconds(1));
    assertTrue(fifo.hasSynced());
    fifo.pop((d, initial) -> initialFlags.add(initial), Duration.ofSeconds(1));
    assertEquals(List.of(true, true, false), initialFlags);
  }

  @Test void anEmptyInitialListIsSyncedAtOnce() {
    fifo.replace(List.of());
    assertTrue(fifo.hasSynced());
  }

  @Test void popTimesOutAndCloseReleasesIt() throws Exception {
    assertFalse(fifo.pop((d, i) -> fail("nothing queued"), Duration.ofMillis(20)));
    fifo.close();
    assertFalse(fifo.pop((d, i) -> fail("closed"), Duration.ofSeconds(5)));
  }
}
