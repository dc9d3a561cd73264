package kubelab.client.e2e;

import kubelab.api.core.Pod;
import kubelab.client.DeleteOptions;
import kubelab.client.informer.ListerWatcher;
import kubelab.client.informer.ListerWatcherContract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The real ListerWatcher, over HTTP to the real API server, keeps the same contract as the in-memory one. */
class HttpListerWatcherTest extends ListerWatcherContract {
  static Cluster cluster;
  String ns;

  @BeforeAll static void start() {
    cluster = Cluster.shared();
  }


  @BeforeEach void newNamespace() {
    ns = cluster.namespace("contract");
  }

  @Override protected ListerWatcher<Pod> lw() {
    return ListerWatcher.of(cluster.admin.pods(ns));
  }

  @Override protected String namespace() {
    return ns;
  }

  @Override protected Pod create(Pod p) {
    return cluster.admin.pods(ns).create(p);
  }

  @Override protected Pod update(Pod p) {
    return cluster.admin.pods(ns).update(p);
  }

  @Override protected void delete(String name) {
    cluster.admin.pods(ns).delete(name, DeleteOptions.gracePeriod(0));
  }

  @Override protected boolean expireHistory() {
    cluster.compactHistory();
    return true;
  }
}
