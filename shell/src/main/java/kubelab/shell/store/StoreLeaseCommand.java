package kubelab.shell.store;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import kubelab.store.KvStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lab store lease grant|revoke|keep-alive|timetolive|list}: etcdctl lease, same wording. */
@Command(name = "lease", mixinStandardHelpOptions = true,
    description = "Leases: keys attached to a lease are deleted when it expires or is revoked (etcdctl lease).",
    subcommands = {StoreLeaseCommand.Grant.class, StoreLeaseCommand.Revoke.class, StoreLeaseCommand.KeepAlive.class,
        StoreLeaseCommand.TimeToLive.class, StoreLeaseCommand.ListLeases.class})
public final class StoreLeaseCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static String hex(long id) {
    return Long.toHexString(id);
  }

  @Command(name = "grant", mixinStandardHelpOptions = true, description = "Grant a lease with a TTL in seconds.")
  static final class Grant implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions client;
    @Parameters(index = "0", paramLabel = "TTL") long ttl;

    @Override
    public Integer call() {
      try (KvStore kv = client.connect()) {
        var l = client.await(kv.leaseGrant(ttl));
        spec.commandLine().getOut().println("lease " + hex(l.id()) + " granted with TTL(" + l.ttlSeconds() + "s)");
      }
      return 0;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a lease and delete its keys.")
  static final class Revoke implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions client;
    @Parameters(index = "0", paramLabel = "ID") String id;

    @Override
    public Integer call() {
      long l = ClientOptions.leaseId(id);
      try (KvStore kv = client.connect()) {
        client.await(kv.leaseRevoke(l));
        spec.commandLine().getOut().println("lease " + hex(l) + " revoked");
      }
      return 0;
    }
  }

  @Command(name = "keep-alive", mixinStandardHelpOptions = true, description = "Keep a lease alive (until Ctrl-C, or once).")
  static final class KeepAlive implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions client;
    @Parameters(index = "0", paramLabel = "ID") String id;
    @Option(names = "--once", description = "Renew once and exit.") boolean once;

    @Override
    public Integer call() throws InterruptedException {
      long l = ClientOptions.leaseId(id);
      PrintWriter out = spec.commandLine().getOut();
      try (KvStore kv = client.connect()) {
        while (true) {
          var lease = client.await(kv.leaseKeepAlive(l));
          out.println("lease " + hex(l) + " keepalived with TTL(" + lease.ttlSeconds() + ")");
          out.flush();
          if (once) return 0;
          Thread.sleep(Math.max(500, lease.ttlSeconds() * 1000 / 3));
        }
      }
    }
  }

  @Command(name = "timetolive", mixinStandardHelpOptions = true, description = "Show a lease's TTL and remaining time.")
  static final class TimeToLive implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions client;
    @Parameters(index = "0", paramLabel = "ID") String id;
    @Option(names = "--keys", description = "Also list the attached keys.") boolean keys;

    @Override
    public Integer call() {
      long l = ClientOptions.leaseId(id);
      try (KvStore kv = client.connect()) {
        var s = client.await(kv.leaseTimeToLive(l, keys));
        PrintWriter out = spec.commandLine().getOut();
        if (s.ttlSeconds() < 0) {
          out.println("lease " + hex(l) + " already expired");
        } else {
          out.println("lease " + hex(l) + " granted with TTL(" + s.grantedTtlSeconds() + "s), remaining(" + s.ttlSeconds() + "s)"
              + (keys ? ", attached keys(" + s.keys() + ")" : ""));
        }
      }
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the live leases.")
  static final class ListLeases implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions client;

    @Override
    public Integer call() {
      try (KvStore kv = client.connect()) {
        var ls = client.await(kv.leases());
        PrintWriter out = spec.commandLine().getOut();
        out.println("found " + ls.size() + " leases");
        for (long l : ls) out.println(hex(l));
      }
      return 0;
    }
  }
}
