package kubelab.shell.store;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import kubelab.store.client.ClientProtocol.MemberInfo;
import kubelab.store.client.RemoteKvStore;
import kubelab.store.server.LogView.LogEntry;
import kubelab.store.server.LogView.LogPage;
import kubelab.store.server.Peers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lab store log}: one member's Raft log, as it holds it now (etcd-dump-logs reads a stopped
 * member's WAL; here the running member answers, read-only). Each entry's index, term and type;
 * with {@code --decode}, the command in words and the revision the keyspace reached by applying
 * it. Entries before the member's first index were compacted into its snapshot.
 */
@Command(name = "log", mixinStandardHelpOptions = true,
    description = {"Show a member's Raft log: index, term, type, and with --decode the command",
        "(PUT /registry/..., TXN ..., LEASE_REVOKE ..., CONF_CHANGE add s4) and the revision it made.",
        "The member is the first of --endpoints that answers, or --member NAME."})
public final class StoreLogCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClientOptions client;
  @Option(names = "--decode", description = "Decode each entry's command, and show the revision it made.") boolean decode;
  @Option(names = "--from", paramLabel = "INDEX", description = "First index to show (default: the last --limit entries).") long from;
  @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "Most entries to show (default: ${DEFAULT-VALUE}; at most 10000).")
  int limit;
  @Option(names = "--member", paramLabel = "NAME", description = "Whose log: a member's name (found through --endpoints).") String member;

  @Override
  public Integer call() {
    boolean json = client.json();
    if (limit <= 0) throw new IllegalArgumentException("--limit must be positive");
    if (from < 0) throw new IllegalArgumentException("--from must be a log index (1 or more)");
    LogPage p = null;
    StringBuilder errors = new StringBuilder();
    for (InetSocketAddress a : targets()) {
      try (RemoteKvStore r = new RemoteKvStore(a)) {
        p = client.await(r.log(from, limit, decode));
        break;
      } catch (RuntimeException e) {
        errors.append(errors.length() == 0 ? "" : "; ").append(a.getHostString()).append(':').append(a.getPort()).append(": ").append(e.getMessage());
      }
    }
    if (p == null) throw new IllegalStateException("no store member answered (" + errors + "): is the store running at --endpoints " + client.endpoints + "?");
    print(spec.commandLine().getOut(), p, decode, json);
    return 0;
  }

  private java.util.List<InetSocketAddress> targets() {
    if (member == null) return client.addresses();
    for (MemberInfo m : StoreStatusCommand.members(client)) {
      if (m.name().equals(member)) {
        InetSocketAddress a = Peers.parseHostPort(m.address(), "member " + m.name());
        return java.util.List.of(new InetSocketAddress(a.getHostString(), a.getPort()));
      }
    }
    throw new IllegalArgumentException("no member named " + member + " (lab store members lists them)");
  }

  static void print(PrintWriter out, LogPage p, boolean decode, boolean json) {
    if (json) {
      StringBuilder sb = new StringBuilder("{\"member\":").append(Printer.quote(p.member())).append(",\"id\":").append(p.memberId())
          .append(",\"first_index\":").append(p.firstIndex()).append(",\"last_index\":").append(p.lastIndex())
          .append(",\"commit\":").append(p.commit()).append(",\"applied\":").append(p.applied())
          .append(",\"snapshot_index\":").append(p.snapshotIndex()).append(",\"snapshot_term\":").append(p.snapshotTerm())
          .append(",\"entries\":[");
      for (int i = 0; i < p.entries().size(); i++) {
        LogEntry e = p.entries().get(i);
        sb.append(i == 0 ? "" : ",").append("{\"index\":").append(e.index()).append(",\"term\":").append(e.term())
            .append(",\"type\":").append(Printer.quote(e.type())).append(",\"bytes\":").append(e.bytes());
        if (decode) {
          sb.append(",\"command\":").append(Printer.quote(e.command()))
              .append(",\"revision\":").append(e.revision() < 0 ? "null" : String.valueOf(e.revision()));
        }
        sb.append('}');
      }
      out.println(sb.append("]}"));
      return;
    }
    out.println("log of " + p.member() + " (id " + p.memberId() + "): entries " + p.firstIndex() + "-" + p.lastIndex() + ", commit "
        + p.commit() + ", applied " + p.applied());
    if (p.snapshotIndex() > 0) {
      out.println("entries up to " + (p.firstIndex() - 1) + " are compacted; the newest snapshot is at index " + p.snapshotIndex()
          + " (term " + p.snapshotTerm() + ")");
    }
    if (decode) {
      out.printf("%-8s %-5s %-12s %-9s %s%n", "INDEX", "TERM", "TYPE", "REVISION", "COMMAND");
      for (LogEntry e : p.entries()) {
        out.printf("%-8d %-5d %-12s %-9s %s%n", e.index(), e.term(), e.type(), e.revision() < 0 ? "-" : String.valueOf(e.revision()), e.command());
      }
    } else {
      out.printf("%-8s %-5s %-12s %s%n", "INDEX", "TERM", "TYPE", "BYTES");
      for (LogEntry e : p.entries()) out.printf("%-8d %-5d %-12s %d%n", e.index(), e.term(), e.type(), e.bytes());
    }
  }
}
