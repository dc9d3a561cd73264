package kubelab.shell.store;

import java.util.concurrent.Callable;
import kubelab.store.KvStore;
import kubelab.store.KvStore.DeleteRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lab store del KEY [--prefix]}: etcdctl del; prints how many keys were deleted. */
@Command(name = "del", mixinStandardHelpOptions = true, description = "Delete a key, or every key under a prefix; prints the number deleted.")
public final class StoreDelCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClientOptions client;
  @Parameters(index = "0", paramLabel = "KEY") String key;
  @Option(names = "--prefix", description = "Delete every key that starts with KEY.") boolean prefix;
  @Option(names = "--prev-kv", description = "Also print the deleted key-values.") boolean prevKv;

  @Override
  public Integer call() {
    boolean json = client.json();
    try (KvStore kv = client.connect()) {
      var r = client.await(kv.delete(new DeleteRequest(key, prefix ? KvStore.prefixEnd(key) : null, prevKv)));
      Printer.del(spec.commandLine().getOut(), r, json);
    }
    return 0;
  }
}
