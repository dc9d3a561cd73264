package kubelab.store.transport;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import kubelab.raft.Message;
import kubelab.raft.MessageType;
import kubelab.store.Params;
import kubelab.store.codec.ByteReader;
import kubelab.store.codec.ByteWriter;
import kubelab.store.codec.RaftCodec;

/**
 * Raft messages over TCP, as etcd's rafthttp streams but on plain sockets: for every peer one
 * outbound connection that this member dials and writes, and the peer's own outbound connection
 * arriving on our {@link TcpListener} that we only read. Each direction is FIFO.
 *
 * <p>Each peer has a sender thread with a bounded queue. The thread writes everything queued as
 * one batch of frames and flushes once (so a burst of appends costs one syscall), reconnects with
 * back-off after a failure, and drops what was queued while the peer was unreachable (Raft
 * retransmits; a stale backlog would only delay fresh messages). A connection from a member of
 * another cluster (different cluster id) is refused and logged.
 */
public final class TcpTransport implements Transport {
  private final long self;
  private final long clusterId;
  private final TcpListener listener;
  private final Map<Long, PeerSender> senders = new ConcurrentHashMap<>();
  private final Map<Long, InetSocketAddress> peers;
  private volatile Handler handler;
  private volatile boolean closed;

  public TcpTransport(long self, long clusterId, Map<Long, InetSocketAddress> peers, TcpListener listener) {
    this.self = self;
    this.clusterId = clusterId;
    this.peers = Map.copyOf(peers);
    this.listener = listener;
  }

  @Override
  public void start(Handler h) {
    handler = h;
    listener.routePeers(this::acceptPeer);
    peers.forEach((id, addr) -> {
      if (id != self) senders.put(id, new PeerSender(id, addr));
    });
    senders.values().forEach(s -> s.thread.start());
  }

  @Override
  public void send(List<Message> messages) {
    for (Message m : messages) {
      PeerSender s = senders.get(m.to());
      if (s != null) s.offer(m);
    }
  }

  private void acceptPeer(Socket socket, DataInputStream in, ByteReader hello) throws IOException {
    int version = hello.u8();
    long cluster = hello.i64();
    long from = hello.varLong();
    long to = hello.varLong();
    if (version != Frames.VERSION) throw new IOException("peer " + from + " speaks protocol version " + version);
    if (cluster != clusterId) {
      throw new IOException(String.format("refused a peer of another cluster: member %d of cluster %016x (this is %016x)", from, cluster, clusterId));
    }
    if (to != self || !peers.containsKey(from)) throw new IOException("refused a peer connection from unknown member " + from + " to " + to);
    while (!closed) {
      Message m = RaftCodec.decodeMessage(Frames.read(in));
      Handler h = handler;
      if (h != null && !closed) h.receive(m);
    }
  }

  @Override
  public void close() {
    closed = true;
    for (PeerSender s : senders.values()) s.stop();
    handler = null;
  }

  private final class PeerSender {
    final long peer;
    final InetSocketAddress addr;
    final ArrayBlockingQueue<Message> queue = new ArrayBlockingQueue<>(Params.PEER_QUEUE_MESSAGES);
    final Thread thread;
    volatile Socket socket;

    PeerSender(long peer, InetSocketAddress addr) {
      this.peer = peer;
      this.addr = addr;
      thread = new Thread(this::run, "kubelab-store-peer-" + self + "-to-" + peer);
      thread.setDaemon(true);
    }

    void offer(Message m) {
      if (!queue.offer(m)) {
        Handler h = handler;
        if (h != null) {
          h.unreachable(peer);
          if (m.type() == MessageType.SNAP) h.snapshotStatus(peer, false);
        }
      }
    }

    void stop() {
      thread.interrupt();
      Socket s = socket;
      if (s != null) {
        try {
          s.close();
        } catch (IOException ignored) {
          // closing anyway
        }
      }
      try {
        thread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void run() {
      long backoff = Params.RECONNECT_MIN.toMillis();
      ByteWriter w = new ByteWriter(1 << 16);
      List<Message> batch = new ArrayList<>();
      while (!closed) {
        try {
          Socket s = new Socket();
          s.setTcpNoDelay(true);
          s.connect(addr, (int) Params.CONNECT_TIMEOUT.toMillis());
          socket = s;
          OutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
          int at = Frames.beginFrame(w);
          w.u8(Frames.PEER).u8(Frames.VERSION).i64(clusterId).varLong(self).varLong(peer);
          Frames.endFrame(w, at);
          Frames.drainTo(w, out);
          out.flush();
          backoff = Params.RECONNECT_MIN.toMillis();
          while (!closed) {
            Message first = queue.poll(200, TimeUnit.MILLISECONDS);
            if (first == null) continue;
            batch.add(first);
            queue.drainTo(batch, 1024);
            for (Message m : batch) {
              int f = Frames.beginFrame(w);
              RaftCodec.writeMessage(w, m);
              Frames.endFrame(w, f);
              if (w.position() > (1 << 18)) Frames.drainTo(w, out);
            }
            Frames.drainTo(w, out);
            out.flush();
            Handler h = handler;
            for (Message m : batch) {
              if (m.type() == MessageType.SNAP && h != null) h.snapshotStatus(peer, true);
            }
            batch.clear();
          }
        } catch (InterruptedException e) {
          return;
        } catch (IOException e) {
          w.reset();
          Handler h = handler;
          List<Message> lost = new ArrayList<>(batch);
          batch.clear();
          queue.drainTo(lost);
          if (h != null && !closed) {
            h.unreachable(peer);
            for (Message m : lost) if (m.type() == MessageType.SNAP) h.snapshotStatus(peer, false);
          }
        } finally {
          Socket s = socket;
          socket = null;
          if (s != null) {
            try {
              s.close();
            } catch (IOException ignored) {
              // already broken
            }
          }
        }
        if (closed) return;
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException e) {
          return;
        }
        backoff = Math.min(backoff * 2, Params.RECONNECT_MAX.toMillis());
      }
    }
  }
}
