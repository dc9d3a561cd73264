package kubelab.shell.store;

import java.util.concurrent.Callable;
import kubelab.store.KvStore;
import kubelab.store.KvStore.RangeRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lab store get KEY [--prefix]}: etcdctl get. */
@Command(name = "get", mixinStandardHelpOptions = true,
    description = {"Get a key, or every key under a prefix (etcdctl get): key on one line, value on the next.",
        "With -w json: the response, with mod_revision (a Kubernetes object's resourceVersion)."})
public final class StoreGetCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClientOptions client;
  @Parameters(index = "0", paramLabel = "KEY") String key;
  @Option(names = "--prefix", description = "Get every key that starts with KEY.") boolean prefix;
  @Option(names = "--keys-only", description = "Print keys only.") boolean keysOnly;
  @Option(names = "--count-only", description = "Print only the number of keys (with -w json).") boolean countOnly;
  @Option(names = "--limit", defaultValue = "0", description = "At most this many keys (0: all).") long limit;
  @Option(names = "--rev", defaultValue = "0", description = "Read at this revision (0: the current one).") long rev;
  @Option(names = "--consistency", defaultValue = "l", description = "l (linearizable, default) or s (serializable: may be stale).") String consistency;
  @Option(names = "--serializable", description = "Same as --consistency s: answer from the member asked, without asking the leader (may be stale).") boolean serializable;

  @Override
  public Integer call() {
    boolean json = client.json();
    if (!consistency.equals("l") && !consistency.equals("s")) throw new IllegalArgumentException("--consistency must be l or s");
    RangeRequest r = new RangeRequest(key, prefix ? KvStore.prefixEnd(key) : null, limit, rev, keysOnly, countOnly,
        serializable || consistency.equals("s"));
    try (KvStore kv = client.connect()) {
      var resp = client.await(kv.range(r));
      if (countOnly && !json) spec.commandLine().getOut().println(resp.count());
      else Printer.get(spec.commandLine().getOut(), resp, json, keysOnly);
    }
    return 0;
  }
}
