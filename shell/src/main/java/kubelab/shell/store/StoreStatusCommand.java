package kubelab.shell.store;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import kubelab.store.client.ClientProtocol.MemberInfo;
import kubelab.store.client.RemoteKvStore;
import kubelab.store.server.MemberStatus;
import kubelab.store.server.Peers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code lab store status}: every member's Raft role, term, commit and applied index, and which
 * member leads (etcdctl endpoint status --cluster, with the Raft fields the lessons need).
 * Members are found through the first endpoint that answers; each is then asked directly, so
 * an unreachable member shows as such rather than failing the whole command.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Each member's role, term, commit and applied index, and the leader.")
public final class StoreStatusCommand implements java.util.concurrent.Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClientOptions client;

  record Row(MemberInfo member, MemberStatus status, String error) {}

  static List<MemberInfo> members(ClientOptions client) {
    StringBuilder errors = new StringBuilder();
    for (InetSocketAddress a : client.addresses()) {
      RemoteKvStore r = new RemoteKvStore(a);
      try {
        return r.members().get(3, TimeUnit.SECONDS);
      } catch (Exception e) {
        errors.append(errors.length() == 0 ? "" : "; ").append(a.getHostString()).append(':').append(a.getPort()).append(": ")
            .append(e.getCause() != null ? e.getCause().getMessage() : "no answer");
      } finally {
        r.close();
      }
    }
    throw new IllegalStateException("no store member answered (" + errors + "): is the store running at --endpoints " + client.endpoints + "?");
  }

  @Override
  public Integer call() {
    boolean json = client.json();
    List<MemberInfo> ms = members(client);
    List<RemoteKvStore> conns = new ArrayList<>();
    List<CompletableFuture<MemberStatus>> fs = new ArrayList<>();
    for (MemberInfo m : ms) {
      InetSocketAddress a = Peers.parseHostPort(m.address(), "member " + m.name());
      RemoteKvStore r = new RemoteKvStore(new InetSocketAddress(a.getHostString(), a.getPort()));
      conns.add(r);
      fs.add(r.status());
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ms.size(); i++) {
      try {
        rows.add(new Row(ms.get(i), fs.get(i).get(3, TimeUnit.SECONDS), null));
      } catch (Exception e) {
        rows.add(new Row(ms.get(i), null, e.getCause() != null ? e.getCause().getMessage() : "no answer within 3s"));
      }
    }
    conns.forEach(RemoteKvStore::close);
    print(spec.commandLine().getOut(), rows, json);
    return 0;
  }

  static void print(PrintWriter out, List<Row> rows, boolean json) {
    Row leader = null;
    for (Row r : rows) if (r.status() != null && r.status().role().equals("LEADER")) leader = r;
    if (json) {
      StringBuilder sb = new StringBuilder("{\"members\":[");
      for (int i = 0; i < rows.size(); i++) {
        Row r = rows.get(i);
        sb.append(i == 0 ? "" : ",").append("{\"name\":").append(Printer.quote(r.member().name())).append(",\"id\":").append(r.member().id())
            .append(",\"endpoint\":").append(Printer.quote(r.member().address()));
        MemberStatus s = r.status();
        if (s != null) {
          sb.append(",\"role\":").append(Printer.quote(s.role())).append(",\"is_leader\":").append(s.role().equals("LEADER"))
              .append(",\"term\":").append(s.term()).append(",\"leader\":").append(s.leader()).append(",\"commit\":").append(s.commit())
              .append(",\"applied\":").append(s.applied()).append(",\"last_index\":").append(s.lastIndex())
              .append(",\"revision\":").append(s.revision()).append(",\"compact_revision\":").append(s.compactRevision())
              .append(",\"cluster_id\":").append(Printer.quote(s.clusterId())).append(",\"wal_fsyncs\":").append(s.fsyncs())
              .append(",\"wal_fsync_mean_ms\":").append(String.format("%.3f", s.fsyncMeanMillis()))
              .append(",\"voters\":").append(s.voters()).append(",\"quorum\":").append(s.quorum());
        } else {
          sb.append(",\"error\":").append(Printer.quote(r.error()));
        }
        sb.append('}');
      }
      sb.append("],\"leader\":").append(leader == null ? "null" : Printer.quote(leader.member().name()));
      if (leader != null) sb.append(",\"term\":").append(leader.status().term());
      out.println(sb.append('}'));
      return;
    }
    String fmt = "%-6s %-4s %-22s %-10s %6s %9s %9s %9s%n";
    out.printf(fmt, "NAME", "ID", "ENDPOINT", "ROLE", "TERM", "COMMIT", "APPLIED", "REVISION");
    for (Row r : rows) {
      MemberStatus s = r.status();
      if (s == null) {
        out.printf("%-6s %-4s %-22s %s%n", r.member().name(), r.member().id(), r.member().address(), "unreachable: " + r.error());
      } else {
        out.printf(fmt, r.member().name(), r.member().id(), r.member().address(), s.role(), s.term(), s.commit(), s.applied(), s.revision());
      }
    }
    if (leader != null) {
      out.println("leader: " + leader.member().name() + " (id " + leader.member().id() + "), term " + leader.status().term());
      MemberStatus ls = leader.status();
      out.println("voters: " + ls.voters().size() + " (ids " + ls.voters().toString().replaceAll("[\\[\\] ]", "") + "), quorum " + ls.quorum());
    } else {
      out.println("leader: none (no member that answered leads: an election is under way, or a majority is down)");
    }
  }
}
