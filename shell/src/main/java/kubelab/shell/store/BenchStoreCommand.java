package kubelab.shell.store;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import kubelab.store.KvStore;
import kubelab.store.bench.StoreBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lab bench store}: the mini-etcd against real etcd in the same run, with the etcd anchor's
 * workload, and the Raft core alone. Prints a table (or one JSON object with {@code --json}),
 * with {@code throughput_ratio_vs_etcd} = ours / etcd at 64 puts in flight.
 */
@Command(name = "store", mixinStandardHelpOptions = true,
    description = {"Benchmark the store: 3 member processes on loopback, fsync on, 256-byte values over 10k keys;",
        "puts at 1, 16 and 64 in flight, linearizable gets at 1 and 64, watch delivery latency;",
        "the same against a 3-member etcd when etcd is installed; and the Raft core alone."})
public final class BenchStoreCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print one JSON object.") boolean json;
  @Option(names = "--phase-seconds", defaultValue = "15", description = "Length of each measured phase (default: ${DEFAULT-VALUE}, as the etcd anchor; CI uses 1).")
  double phaseSeconds;
  @Option(names = "--routing", defaultValue = "leader", description = "Our client's routing: leader (default) or round-robin (as jetcd).")
  String routing;
  @Option(names = "--no-etcd", description = "Skip etcd.") boolean noEtcd;
  @Option(names = "--no-core", description = "Skip the Raft core benchmark.") boolean noCore;
  @Option(names = "--keys", defaultValue = "10000", hidden = true, description = "Keys preloaded and written (the anchor: 10000; smoke tests use fewer).")
  int keys;

  @Override
  public Integer call() throws Exception {
    if (!routing.equals("leader") && !routing.equals("round-robin")) throw new IllegalArgumentException("--routing must be leader or round-robin");
    if (phaseSeconds <= 0) throw new IllegalArgumentException("--phase-seconds must be positive");
    if (keys <= 0) throw new IllegalArgumentException("--keys must be positive");
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Function<List<String>, KvStore> etcd = null;
    String etcdMissing = noEtcd ? "--no-etcd" : EtcdClientLoader.missing();
    if (etcdMissing == null) etcd = EtcdClientLoader.factory();
    StoreBenchmark.Report r = StoreBenchmark.run(new StoreBenchmark.Options(phaseSeconds, routing, etcd, !noCore, keys), line -> {
      err.println("bench store: " + line);
      err.flush();
    });
    if (r.etcd() == null && etcdMissing != null) r = new StoreBenchmark.Report(r.workload(), r.dataDir(), r.fileSystem(), r.ours(), null, etcdMissing, r.core());
    if (json) out.println(BenchStoreReport.json(r));
    else BenchStoreReport.text(out, r);
    out.flush();
    return 0;
  }
}
