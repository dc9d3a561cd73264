package kubelab.store.transport;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import kubelab.store.codec.ByteReader;

/**
 * The one TCP port of a member: accepts connections, reads the hello frame and hands the
 * connection to the peer transport or to the client server. One thread accepts; each connection
 * then belongs to the thread its handler gives it.
 */
public final class TcpListener implements AutoCloseable {
  /** Takes over a connection after its hello; {@code hello} is positioned after the kind byte. */
  public interface Route {
    void accept(Socket socket, DataInputStream in, ByteReader hello) throws IOException;
  }

  private final ServerSocket server;
  private final Thread acceptor;
  private volatile Route peers;
  private volatile Route clients;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /** Binds {@code address} (port 0: any free port). A port in use is a one-line error naming it. */
  public TcpListener(InetSocketAddress address) throws IOException {
    server = new ServerSocket();
    server.setReuseAddress(true);
    try {
      server.bind(address, 128);
    } catch (BindException e) {
      server.close();
      throw new BindException("cannot listen on " + address.getHostString() + ":" + address.getPort() + ": "
          + e.getMessage() + " (is another member or program using that port?)");
    }
    acceptor = new Thread(this::acceptLoop, "kubelab-store-accept-" + server.getLocalPort());
    acceptor.setDaemon(true);
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  public void routePeers(Route r) {
    peers = r;
  }

  public void routeClients(Route r) {
    clients = r;
  }

  public void start() {
    acceptor.start();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket s;
      try {
        s = server.accept();
      } catch (IOException e) {
        if (closed) return;
        continue;
      }
      Thread t = new Thread(() -> handle(s), "kubelab-store-conn-" + s.getRemoteSocketAddress());
      t.setDaemon(true);
      t.start();
    }
  }

  private void handle(Socket s) {
    open.add(s);
    try {
      s.setTcpNoDelay(true);
      DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
      byte[] hello = Frames.read(in);
      ByteReader r = new ByteReader(hello);
      int kind = r.u8();
      Route route = kind == Frames.PEER ? peers : kind == Frames.CLIENT ? clients : null;
      if (route == null) throw new IOException("unknown connection kind " + kind);
      route.accept(s, in, r);
    } catch (SocketException | java.io.EOFException e) {
      // closed under us, or by the other side: normal at shutdown and when a client is done
    } catch (IOException | RuntimeException e) {
      if (!closed) System.err.println("kubelab store: connection from " + s.getRemoteSocketAddress() + " closed: " + e.getMessage());
    } finally {
      open.remove(s);
      try {
        s.close();
      } catch (IOException ignored) {
        // already closed
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // nothing to do
    }
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
    try {
      acceptor.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
