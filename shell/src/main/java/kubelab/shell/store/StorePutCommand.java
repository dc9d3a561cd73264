package kubelab.shell.store;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import kubelab.store.KvStore;
import kubelab.store.KvStore.PutRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lab store put KEY VALUE}: etcdctl put. */
@Command(name = "put", mixinStandardHelpOptions = true, description = "Put KEY=VALUE into the store; prints OK (etcdctl put).")
public final class StorePutCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClientOptions client;
  @Parameters(index = "0", paramLabel = "KEY") String key;
  @Parameters(index = "1", paramLabel = "VALUE") String value;
  @Option(names = "--lease", paramLabel = "ID", description = "Attach the key to this lease (hex id).") String lease;
  @Option(names = "--prev-kv", description = "Also print the previous key-value.") boolean prevKv;

  @Override
  public Integer call() {
    boolean json = client.json();
    long l = lease == null ? 0 : ClientOptions.leaseId(lease);
    try (KvStore kv = client.connect()) {
      var r = client.await(kv.put(new PutRequest(key, value.getBytes(StandardCharsets.UTF_8), l, prevKv)));
      Printer.put(spec.commandLine().getOut(), r, json);
    }
    return 0;
  }
}
