package kubelab.shell.store;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import kubelab.store.client.ClientProtocol.MemberInfo;
import kubelab.store.client.RemoteKvStore;
import kubelab.store.server.MemberStatus;
import kubelab.store.server.MembershipChange;
import kubelab.store.server.Peers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lab store members [list|add|remove]}: etcdctl member list / add / remove. Without a
 * subcommand it lists. Changes are single-server membership changes through the Raft log
 * (dissertation §4.1): one at a time, each committed by a majority of the members before it.
 * They are sent to the leader (found through {@code --endpoints}), as etcdctl's go wherever the
 * gRPC balancer sends them and etcd forwards them there.
 */
@Command(name = "members", mixinStandardHelpOptions = true,
    description = {"List the members of the cluster, or add or remove one (etcdctl member list|add|remove).",
        "Without a subcommand: list (ID, status, name, peer address, client address, is learner)."},
    subcommands = {StoreMembersCommand.ListMembers.class, StoreMembersCommand.Add.class, StoreMembersCommand.Remove.class})
public final class StoreMembersCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClientOptions client;

  @Override
  public Integer call() {
    list(spec.commandLine().getOut(), client);
    return 0;
  }

  static void list(PrintWriter out, ClientOptions client) {
    boolean json = client.json();
    var ms = StoreStatusCommand.members(client);
    if (json) {
      out.println("{\"members\":" + membersJson(ms) + "}");
    } else {
      for (MemberInfo m : ms) out.println(m.id() + ", started, " + m.name() + ", " + m.address() + ", " + m.address() + ", false");
    }
  }

  static String membersJson(java.util.List<MemberInfo> ms) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < ms.size(); i++) sb.append(i == 0 ? "" : ",").append(memberJson(ms.get(i)));
    return sb.append(']').toString();
  }

  static String memberJson(MemberInfo m) {
    return "{\"ID\":" + m.id() + ",\"name\":" + Printer.quote(m.name()) + ",\"peerURLs\":[" + Printer.quote(m.address())
        + "],\"clientURLs\":[" + Printer.quote(m.address()) + "]}";
  }

  /**
   * The member to send a change to: the leader, as some endpoint knows it; otherwise the first
   * endpoint that answers (it forwards the change through Raft).
   */
  static InetSocketAddress leader(ClientOptions client) {
    java.util.List<MemberInfo> ms = StoreStatusCommand.members(client);
    for (InetSocketAddress a : client.addresses()) {
      try (RemoteKvStore r = new RemoteKvStore(a)) {
        MemberStatus s = r.status().get(3, TimeUnit.SECONDS);
        if (s.role().equals("LEADER")) return a;
        for (MemberInfo m : ms) {
          if (m.id() == s.leader()) {
            InetSocketAddress l = Peers.parseHostPort(m.address(), "member " + m.name());
            return new InetSocketAddress(l.getHostString(), l.getPort());
          }
        }
      } catch (Exception e) {
        // try the next endpoint
      }
    }
    return client.addresses().get(0);
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the members (etcdctl member list).")
  static final class ListMembers implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions client;

    @Override
    public Integer call() {
      list(spec.commandLine().getOut(), client);
      return 0;
    }
  }

  @Command(name = "add", mixinStandardHelpOptions = true,
      description = {"Add a member that will listen on HOST:PORT (etcdctl member add), then print how to start it.",
          "The cluster must have enough members up for a quorum of the larger cluster (etcd's strict reconfiguration check)."})
  static final class Add implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions client;
    @Parameters(index = "0", paramLabel = "NAME", description = "The new member's name (letters, digits, '.', '_', '-').") String name;
    @Parameters(index = "1", paramLabel = "HOST:PORT", description = "Where it will listen for peers and clients.") String address;

    @Override
    public Integer call() {
      boolean json = client.json();
      if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
        throw new IllegalArgumentException("bad member name '" + name + "': use letters, digits, '.', '_' and '-'");
      }
      InetSocketAddress a = Peers.parseHostPort(address, "the new member");
      if (a.getPort() == 0) throw new IllegalArgumentException("bad port 0 for the new member: give the port it will listen on");
      String hostPort = a.getHostString() + ":" + a.getPort();
      MembershipChange c;
      try (RemoteKvStore r = new RemoteKvStore(leader(client))) {
        c = client.await(r.memberAdd(name, hostPort));
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println("{\"header\":{\"cluster_id\":" + Printer.quote(c.clusterId()) + "},\"member\":" + memberJson(info(c.member()))
            + ",\"members\":" + membersJson(infos(c)) + "}");
        return 0;
      }
      StringBuilder peers = new StringBuilder();
      for (Peers.Peer p : c.members()) peers.append(peers.length() == 0 ? "" : ",").append(p.name()).append('=').append(p.hostPort());
      out.println("Member " + c.member().id() + " (" + c.member().name() + ") added to cluster " + c.clusterId());
      out.println();
      out.println("Start it with:");
      out.println("  lab store serve --name " + name + " --data DIR --listen " + hostPort + " --initial-cluster-state existing --peers " + peers);
      return 0;
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true,
      description = {"Remove a member (etcdctl member remove). A removed leader steps down once the change commits;",
          "a removed member stops itself once it learns of its removal."})
  static final class Remove implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClientOptions client;
    @Parameters(index = "0", paramLabel = "NAME", description = "The member to remove.") String name;

    @Override
    public Integer call() {
      boolean json = client.json();
      MembershipChange c;
      try (RemoteKvStore r = new RemoteKvStore(leader(client))) {
        c = client.await(r.memberRemove(name));
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println("{\"header\":{\"cluster_id\":" + Printer.quote(c.clusterId()) + "},\"members\":" + membersJson(infos(c)) + "}");
      } else {
        out.println("Member " + c.member().id() + " (" + c.member().name() + ") removed from cluster " + c.clusterId());
      }
      return 0;
    }
  }

  private static MemberInfo info(Peers.Peer p) {
    return new MemberInfo(p.id(), p.name(), p.hostPort());
  }

  private static java.util.List<MemberInfo> infos(MembershipChange c) {
    return c.members().stream().map(StoreMembersCommand::info).toList();
  }
}
