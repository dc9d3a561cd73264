package kubelab.store.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Free loopback ports for tests and the benchmark: bound to 127.0.0.1:0, then released. */
public final class TcpPorts {
  private TcpPorts() {}

  public static List<Integer> free(int n) throws IOException {
    List<ServerSocket> ss = new ArrayList<>();
    List<Integer> out = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ss.add(s);
        out.add(s.getLocalPort());
      }
    } finally {
      for (ServerSocket s : ss) s.close();
    }
    return out;
  }

  /** Members s1..sN on 127.0.0.1 at {@code ports}. */
  public static Peers loopbackPeers(List<Integer> ports) {
    Map<String, InetSocketAddress> m = new LinkedHashMap<>();
    for (int i = 0; i < ports.size(); i++) m.put("s" + (i + 1), InetSocketAddress.createUnresolved("127.0.0.1", ports.get(i)));
    return Peers.of(m);
  }
}
