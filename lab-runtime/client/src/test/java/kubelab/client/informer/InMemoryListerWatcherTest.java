package kubelab.client.informer;

import kubelab.api.core.Pod;

/** The in-memory fake keeps the ListerWatcher contract. */
class InMemoryListerWatcherTest extends ListerWatcherContract {
  final InMemoryListerWatcher<Pod> store = new InMemoryListerWatcher<>(Pod.class);

  @Override protected ListerWatcher<Pod> lw() { return store; }
  @Override protected String namespace() { return "default"; }
  @Override protected Pod create(Pod p) { return store.create(p); }
  @Override protected Pod update(Pod p) { return store.update(p); }
  @Override protected void delete(String name) { store.delete("default/" + name); }

  @Override protected boolean expireHistory() {
    store.compact();
    return true;
  }
}
