package kubelab.shell.store;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import kubelab.store.client.ClientProtocol.MemberInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lab store members}: etcdctl member list (id, status, name, address). */
@Command(name = "members", mixinStandardHelpOptions = true, description = "List the members of the cluster.")
public final class StoreMembersCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ClientOptions client;

  @Override
  public Integer call() {
    boolean json = client.json();
    PrintWriter out = spec.commandLine().getOut();
    var ms = StoreStatusCommand.members(client);
    if (json) {
      StringBuilder sb = new StringBuilder("{\"members\":[");
      for (int i = 0; i < ms.size(); i++) {
        MemberInfo m = ms.get(i);
        sb.append(i == 0 ? "" : ",").append("{\"ID\":").append(m.id()).append(",\"name\":").append(Printer.quote(m.name()))
            .append(",\"peerURLs\":[").append(Printer.quote(m.address())).append("],\"clientURLs\":[").append(Printer.quote(m.address())).append("]}");
      }
      out.println(sb.append("]}"));
    } else {
      for (MemberInfo m : ms) out.println(m.id() + ", started, " + m.name() + ", " + m.address() + ", " + m.address() + ", false");
    }
    return 0;
  }
}
