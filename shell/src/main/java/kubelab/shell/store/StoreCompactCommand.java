package kubelab.shell.store;

import java.util.concurrent.Callable;
import kubelab.store.KvStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lab store compact REV}: etcdctl compaction. */
@Command(name = "compact", mixinStandardHelpOptions = true,
    description = "Drop the history before REV: reads and watches from older revisions then fail as compacted.")
public final class StoreCompactCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClientOptions client;
  @Parameters(index = "0", paramLabel = "REV") long rev;

  @Override
  public Integer call() {
    try (KvStore kv = client.connect()) {
      client.await(kv.compact(rev));
      spec.commandLine().getOut().println("compacted revision " + rev);
    }
    return 0;
  }
}
