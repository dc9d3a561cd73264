package kubelab.client.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay between a client and the API server that a test can cut: the honest way to make a
 * watch stream break or the server unreachable for one client only (what {@code fault drop-watch}
 * will do for learners). TLS passes through untouched; the server's certificate covers 127.0.0.1,
 * where the proxy listens on a free port.
 */
final class TcpProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final AtomicLong accepted = new AtomicLong();
  private volatile boolean blocking;

  TcpProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    Thread t = new Thread(this::acceptLoop, "tcp-proxy");
    t.setDaemon(true);
    t.start();
  }

  String url() {
    return "https://127.0.0.1:" + listener.getLocalPort();
  }

  /** Connections accepted so far. */
  long connections() {
    return accepted.get();
  }

  /** Closes every relayed connection now (streams break mid-way). */
  void cutAll() {
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException ignored) {
        // already gone
      }
    }
    open.clear();
  }

  /** While blocking, new connections are accepted and immediately reset: the server is unreachable. */
  void block(boolean b) {
    blocking = b;
    if (b) cutAll();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException closed) {
        return;
      }
      accepted.incrementAndGet();
      if (blocking) {
        try {
          client.setSoLinger(true, 0);
          client.close();
        } catch (IOException ignored) {
          // reset sent
        }
        continue;
      }
      try {
        Socket server = new Socket(InetAddress.getByName("127.0.0.1"), targetPort);
        open.add(client);
        open.add(server);
        pump(client, server);
        pump(server, client);
      } catch (IOException e) {
        try {
          client.close();
        } catch (IOException ignored) {
          // nothing to do
        }
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16384];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException ignored) {
        // one side went away
      } finally {
        try {
          from.close();
          to.close();
        } catch (IOException ignored) {
          // closing
        }
        open.remove(from);
        open.remove(to);
      }
    }, "tcp-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  @Override public void close() throws IOException {
    listener.close();
    cutAll();
  }
}
