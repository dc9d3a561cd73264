package kubelab.shell.store;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import kubelab.store.KvStore;
import kubelab.store.KvStore.WatchEvent;
import kubelab.store.KvStore.WatchRequest;
import kubelab.store.StoreException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lab store watch KEY [--prefix]}: etcdctl watch, until Ctrl-C. */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = {"Print changes to a key or prefix as they happen (etcdctl watch): PUT or DELETE, then key and value.",
        "With -w json each event shows its kv.mod_revision. Runs until Ctrl-C (or --max-events)."})
public final class StoreWatchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClientOptions client;
  @Parameters(index = "0", paramLabel = "KEY") String key;
  @Option(names = "--prefix", description = "Watch every key that starts with KEY.") boolean prefix;
  @Option(names = "--rev", defaultValue = "0", description = "Start at this revision (replays history since then).") long rev;
  @Option(names = "--prev-kv", description = "Also print the previous key-value of each event.") boolean prevKv;
  @Option(names = "--max-events", defaultValue = "0", description = "Stop after this many events (0: never).") long maxEvents;

  @Override
  public Integer call() throws Exception {
    boolean json = client.json();
    PrintWriter out = spec.commandLine().getOut();
    CompletableFuture<Integer> done = new CompletableFuture<>();
    AtomicLong seen = new AtomicLong();
    try (KvStore kv = client.connect()) {
      KvStore.WatchHandle h = kv.watch(new WatchRequest(key, prefix ? KvStore.prefixEnd(key) : null, rev, prevKv, false),
          new KvStore.WatchListener() {
            @Override
            public void onEvents(long revision, List<WatchEvent> events) {
              synchronized (out) {
                Printer.events(out, revision, events, json);
              }
              if (maxEvents > 0 && seen.addAndGet(events.size()) >= maxEvents) done.complete(0);
            }

            @Override
            public void onCompacted(long compactRevision) {
              done.completeExceptionally(new StoreException(StoreException.Code.COMPACTED,
                  "watch is canceled by the server: mvcc: required revision has been compacted (compact revision " + compactRevision + ")"));
            }

            @Override
            public void onError(Throwable cause) {
              done.completeExceptionally(cause);
            }
          });
      try {
        return done.get();
      } catch (java.util.concurrent.ExecutionException e) {
        throw (Exception) e.getCause();
      } finally {
        h.close();
      }
    }
  }
}
