package kubelab.client.informer;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import kubelab.api.core.Pod;
import org.junit.jupiter.api.Test;

/** The indexed cache keeps every index in step with adds, updates, deletes and replaces. */
class IndexerTest {
  static Pod pod(String ns, String name, String node) {
    Pod p = new Pod();
    p.metadata.namespace = ns;
    p.metadata.name = name;
    p.spec.nodeName = node;
    return p;
  }

  static final IndexFunc<Pod> BY_NODE = p -> p.spec.nodeName == null ? List.of() : List.of(p.spec.nodeName);

  Indexer<Pod> indexer() {
    return new Indexer<>(Map.of(IndexFunc.NAMESPACE, IndexFunc.byNamespace(), "node", BY_NODE));
  }

  static Set<String> names(List<Pod> pods) {
    Set<String> s = new HashSet<>();
    for (Pod p : pods) s.add(p.metadata.name);
    return s;
  }

  @Test void keysAreNamespaceSlashNameOrJustName() {
    assertEquals("default/web", Indexer.keyOf(pod("default", "web", null)));
    assertEquals("node-1", Indexer.keyOf(pod(null, "node-1", null)));
  }

  @Test void indexesFollowUpdatesAndDeletes() {
    Indexer<Pod> ix = indexer();
    ix.add(pod("default", "a", "n1"));
    ix.add(pod("default", "b", "n1"));
    ix.add(pod("kube-system", "c", "n2"));
    assertEquals(Set.of("a", "b"), names(ix.byIndex("node", "n1")));
    assertEquals(Set.of("a", "b"), names(ix.byIndex(IndexFunc.NAMESPACE, "default")));

    ix.update(pod("default", "a", "n2"));          // a moves to n2
    assertEquals(Set.of("b"), names(ix.byIndex("node", "n1")));
    assertEquals(Set.of("a", "c"), names(ix.byIndex("node", "n2")));

    ix.delete(pod("default", "b", null));
    assertEquals(List.of(), ix.byIndex("node", "n1"));
    assertFalse(ix.indexValues("node").contains("n1"), "empty index values are dropped");
    assertEquals(2, ix.size());
  }

  @Test void replaceRebuildsEverything() {
    Indexer<Pod> ix = indexer();
    ix.add(pod("default", "a", "n1"));
    ix.replace(List.of(pod("default", "x", "n9")));
    assertNull(ix.get("default/a"));
    assertEquals(List.of(), ix.byIndex("node", "n1"));
    assertEquals(Set.of("x"), names(ix.byIndex("node", "n9")));
  }

  @Test void indexersAddedLaterIndexExistingObjects() {
    Indexer<Pod> ix = new Indexer<>();
    ix.add(pod("default", "a", "n1"));
    ix.addIndexers(Map.of("node", BY_NODE));
    assertEquals(Set.of("a"), names(ix.byIndex("node", "n1")));
    assertThrows(IllegalArgumentException.class, () -> ix.addIndexers(Map.of("node", BY_NODE)));
    assertThrows(IllegalArgumentException.class, () -> ix.byIndex("nope", "x"));
  }

  @Test void listerFiltersByNamespaceAndLabels() {
    Indexer<Pod> ix = indexer();
    Pod a = pod("default", "a", null);
    a.metadata.labels = Map.of("app", "web");
    Pod b = pod("default", "b", null);
    b.metadata.labels = Map.of("app", "db");
    Pod c = pod("other", "c", null);
    c.metadata.labels = Map.of("app", "web");
    ix.add(a);
    ix.add(b);
    ix.add(c);
    Lister<Pod> l = new Lister<>(ix);
    assertEquals(Set.of("a"), names(l.list("default", kubelab.client.Selector.parse("app=web"))));
    assertEquals(Set.of("a", "c"), names(l.list(kubelab.client.Selector.parse("app=web"))));
    assertSame(b, l.get("default", "b"), "listers return the cached object itself (shared, read-only)");
  }
}
