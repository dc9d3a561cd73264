package kubelab.shell.store;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import kubelab.store.KvStore;
import kubelab.store.KvStore.DeleteResponse;
import kubelab.store.KvStore.OpResponse;
import kubelab.store.KvStore.PutResponse;
import kubelab.store.KvStore.RangeResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lab store txn}: etcdctl txn, reading the transaction from stdin. */
@Command(name = "txn", mixinStandardHelpOptions = true,
    description = {"Run a transaction read from stdin (etcdctl txn syntax): compares, empty line, success",
        "requests, empty line, failure requests. Prints SUCCESS or FAILURE, then each response.",
        "Example: printf 'mod(\"k\") = \"0\"\\n\\nput k v\\n\\nget k\\n' | lab store txn"})
public final class StoreTxnCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClientOptions client;

  @Override
  public Integer call() throws Exception {
    boolean json = client.json();
    List<String> lines = new ArrayList<>();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String l; (l = in.readLine()) != null; ) lines.add(l);
    KvStore.TxnRequest t = TxnParser.parse(lines);
    PrintWriter out = spec.commandLine().getOut();
    try (KvStore kv = client.connect()) {
      var r = client.await(kv.txn(t));
      if (json) {
        out.println("{" + Printer.header(r.revision()) + (r.succeeded() ? ",\"succeeded\":true" : "") + "}");
        return 0;
      }
      out.println(r.succeeded() ? "SUCCESS" : "FAILURE");
      for (OpResponse o : r.responses()) {
        out.println();
        if (o instanceof PutResponse p) Printer.put(out, p, false);
        else if (o instanceof DeleteResponse d) Printer.del(out, d, false);
        else Printer.get(out, (RangeResponse) o, false, false);
      }
    }
    return 0;
  }
}
