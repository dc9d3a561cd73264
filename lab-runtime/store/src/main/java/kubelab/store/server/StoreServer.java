package kubelab.store.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.UnaryOperator;
import kubelab.store.transport.TcpListener;
import kubelab.store.transport.TcpTransport;

/**
 * A store member as its own process ({@code lab store serve}): one TCP port for peers and
 * clients, the WAL and snapshots in a data directory, a {@link Member} in between.
 *
 * <p>Start-up checks fail with one line each: a bad peer list or a name not in it ({@link
 * Peers}), a port in use ({@link TcpListener}), a data directory of another member or cluster or
 * in use ({@link DataDir}), a corrupt WAL (naming file and offset).
 */
public final class StoreServer implements AutoCloseable {
  private final DataDir data;
  private final TcpListener listener;
  private final Member member;

  private StoreServer(DataDir data, TcpListener listener, Member member) {
    this.data = data;
    this.listener = listener;
    this.member = member;
  }

  public static StoreServer start(MemberConfig cfg, Path dataDir, InetSocketAddress listen) throws IOException {
    return start(cfg, dataDir, listen, Clock.systemUTC());
  }

  public static StoreServer start(MemberConfig cfg, Path dataDir, InetSocketAddress listen, Clock clock) throws IOException {
    DataDir data = DataDir.open(dataDir, cfg.name(), cfg.peers());
    TcpListener listener = null;
    try {
      listener = new TcpListener(new InetSocketAddress(listen.getHostString(), listen.getPort()));
      TcpTransport transport = new TcpTransport(cfg.id(), cfg.peers().clusterId(), cfg.peers().addresses(), listener);
      Member member = new Member(cfg, new WalPersistence(data.memberDir(), cfg.walMetadata(), cfg.walSegmentBytes()), transport, clock);
      TcpListener l = listener;
      l.routeClients((socket, in, hello) -> ClientSession.serve(member, socket, in, hello));
      l.start();
      return new StoreServer(data, l, member);
    } catch (IOException | RuntimeException e) {
      if (listener != null) listener.close();
      data.close();
      throw e;
    }
  }

  /** For tests: a tuned config. */
  public static StoreServer start(String name, Peers peers, Path dataDir, InetSocketAddress listen,
                                  java.util.function.Consumer<String> log, UnaryOperator<MemberConfig> tune) throws IOException {
    return start(tune.apply(MemberConfig.of(name, peers, log)), dataDir, listen);
  }

  public Member member() {
    return member;
  }

  public InetSocketAddress address() {
    return listener.address();
  }

  @Override
  public void close() {
    listener.close();
    member.close();
    try {
      data.close();
    } catch (IOException ignored) {
      // the lock goes with the process anyway
    }
  }
}
