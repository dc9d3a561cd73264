package kubelab.store.server;

import java.time.Duration;
import kubelab.store.KvStore;
import kubelab.store.KvStoreContract;

/** Three members over the in-process network, reached through the failover client, pass the contract. */
class EmbeddedClusterContractTest extends KvStoreContract {
  static MemberConfig fast(MemberConfig c) {
    return c.withTiming(Duration.ofMillis(10), 10, Duration.ofSeconds(5));
  }

  @Override
  protected KvStore newStore() throws Exception {
    EmbeddedCluster c = EmbeddedCluster.start(3, null, line -> {}, EmbeddedClusterContractTest::fast);
    c.awaitLeader(Duration.ofSeconds(10));
    return c.client();
  }
}
