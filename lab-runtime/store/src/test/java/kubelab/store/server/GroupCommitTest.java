package kubelab.store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import kubelab.store.KvStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit: proposals that arrive while the leader is persisting go into the next Ready
 * together, so under load one fsync (and one append message per follower) covers many writes.
 */
class GroupCommitTest {
  @TempDir Path tmp;

  @Test
  void manyConcurrentWritesShareFarFewerFsyncs() throws Exception {
    try (EmbeddedCluster c = EmbeddedCluster.start(3, tmp, l -> {},
        cfg -> cfg.withTiming(Duration.ofMillis(10), 10, Duration.ofSeconds(10)).withWalSegmentBytes(4 << 20))) {
      Member leader = c.awaitLeader(Duration.ofSeconds(10));
      long before = leader.persistence.syncs();
      List<CompletableFuture<KvStore.PutResponse>> fs = new ArrayList<>();
      int n = 2000;
      for (int i = 0; i < n; i++) fs.add(leader.put(KvStore.PutRequest.of("/gc/" + (i % 100), new byte[256])));
      for (var f : fs) f.get(30, TimeUnit.SECONDS);
      long syncs = leader.persistence.syncs() - before;
      assertEquals(n, fs.stream().map(CompletableFuture::join).map(KvStore.PutResponse::revision).distinct().count());
      assertTrue(syncs * 10 < n, n + " writes took " + syncs + " fsyncs on the leader: they were not batched");
    }
  }
}
