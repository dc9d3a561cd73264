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
 *
 * <p>Every peer hello is answered with one frame, so the dialer knows where it stands: accepted,
 * refused (it is told why, once), or removed from the cluster: a member removed while it was cut
 * off (or down) learns it this way, as etcd's rafthttp answers such a member "410 Gone", and stops.
 * The peers change with the membership ({@link #updatePeers}): a sender per new member, none for
 * a removed one, whose inbound connection is closed so that its next hello is answered "removed".
 */
public final class TcpTransport implements Transport {
  private final long self;
  private final long clusterId;
  private final TcpListener listener;
  private final Map<Long, PeerSender> senders = new ConcurrentHashMap<>();
  /** Open inbound connections by the peer that dialed them. */
  private final Map<Long, java.util.Set<Socket>> inbound = new ConcurrentHashMap<>();
  private Map<Long, InetSocketAddress> peers;
  private volatile java.util.Set<Long> removed = java.util.Set.of();
  private final java.util.Set<String> refusalsLogged = ConcurrentHashMap.newKeySet();
  private volatile Handler handler;
  private volatile boolean closed;
  private boolean started;

  /** {@code peers}: where the other members listen (more may come with {@link #updatePeers}). */
  public TcpTransport(long self, long clusterId, Map<Long, InetSocketAddress> peers, TcpListener listener) {
    this.self = self;
    this.clusterId = clusterId;
    this.peers = Map.copyOf(peers);
    this.listener = listener;
  }

  @Override
  public synchronized void start(Handler h) {
    handler = h;
    started = true;
    listener.routePeers(this::acceptPeer);
    syncSenders();
  }

  @Override
  public synchronized void updatePeers(Map<Long, InetSocketAddress> ps, java.util.Set<Long> rm) {
    peers = Map.copyOf(ps);
    removed = java.util.Set.copyOf(rm);
    if (started && !closed) syncSenders();
    for (long id : rm) {
      java.util.Set<Socket> in = inbound.remove(id);
      if (in != null) in.forEach(TcpTransport::closeQuietly);
    }
  }

  /** One running sender per peer, at its current address. */
  private void syncSenders() {
    for (var it = senders.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      InetSocketAddress a = peers.get(e.getKey());
      if (a == null || !a.equals(e.getValue().addr)) {
        it.remove();
        e.getValue().stop(false); // on the Raft thread: do not wait for it
      }
    }
    peers.forEach((id, addr) -> {
      if (id != self && !senders.containsKey(id)) {
        PeerSender s = new PeerSender(id, addr);
        senders.put(id, s);
        s.thread.start();
      }
    });
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
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
    String refusal = null;
    if (version != Frames.VERSION) refusal = "peer " + from + " speaks protocol version " + version + ", this member " + Frames.VERSION;
    else if (cluster != clusterId) refusal = String.format("member %d of cluster %016x dialed a member of cluster %016x", from, cluster, clusterId);
    else if (to != self) refusal = "member " + from + " dialed member " + to + " but reached member " + self;
    boolean gone = refusal == null && removed.contains(from);
    ByteWriter w = new ByteWriter(64);
    int f = Frames.beginFrame(w);
    w.u8(refusal != null ? Frames.REFUSED : gone ? Frames.REMOVED : Frames.ACCEPTED).string(refusal != null ? refusal
        : gone ? "member " + from + " was removed from the cluster" : "");
    Frames.endFrame(w, f);
    OutputStream out = socket.getOutputStream();
    Frames.drainTo(w, out);
    out.flush();
    if (refusal != null) {
      // Told the dialer why; say it here once, not on every reconnect.
      if (refusalsLogged.add(refusal)) System.err.println("kubelab store: refused a peer connection: " + refusal);
      return;
    }
    if (gone) return;
    java.util.Set<Socket> mine = inbound.computeIfAbsent(from, k -> ConcurrentHashMap.newKeySet());
    mine.add(socket);
    try {
      if (removed.contains(from)) return; // removed while we registered
      while (!closed) {
        Message m = RaftCodec.decodeMessage(Frames.read(in));
        Handler h = handler;
        if (h != null && !closed) h.receive(m);
      }
    } finally {
      mine.remove(socket);
    }
  }

  @Override
  public void close() {
    closed = true;
    synchronized (this) {
      for (PeerSender s : senders.values()) s.stop(true);
      senders.clear();
    }
    handler = null;
  }

  private final class PeerSender {
    final long peer;
    final InetSocketAddress addr;
    final ArrayBlockingQueue<Message> queue = new ArrayBlockingQueue<>(Params.PEER_QUEUE_MESSAGES);
    final Thread thread;
    volatile Socket socket;
    volatile boolean stopped;

    PeerSender(long peer, InetSocketAddress addr) {
      this.peer = peer;
      this.addr = addr;
      thread = new Thread(this::run, "kubelab-store-peer-" + self + "-to-" + peer);
      thread.setDaemon(true);
    }

    private String lastRefusal;

    /**
     * Reads the answer to our hello: true to go on; false if this member was removed (the handler
     * is told, and this sender ends); an IOException to retry later.
     */
    private boolean answered(Socket s) throws IOException {
      s.setSoTimeout((int) Params.CONNECT_TIMEOUT.toMillis());
      ByteReader r = new ByteReader(Frames.read(new DataInputStream(s.getInputStream())));
      s.setSoTimeout(0);
      int verdict = r.u8();
      String reason = r.string();
      if (verdict == Frames.ACCEPTED) {
        lastRefusal = null;
        return true;
      }
      if (verdict == Frames.REMOVED) {
        Handler h = handler;
        if (h != null && !closed) h.removed(peer);
        return false;
      }
      if (!reason.equals(lastRefusal)) {
        lastRefusal = reason;
        System.err.println("kubelab store: member " + peer + " at " + addr.getHostString() + ":" + addr.getPort() + " refused us: " + reason);
      }
      throw new IOException("refused: " + reason);
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

    void stop(boolean join) {
      stopped = true;
      thread.interrupt();
      Socket s = socket;
      if (s != null) {
        try {
          s.close();
        } catch (IOException ignored) {
          // closing anyway
        }
      }
      if (!join) return;
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
      while (!closed && !stopped) {
        try {
          Socket s = new Socket();
          s.setTcpNoDelay(true);
          socket = s;
          // Resolved on every attempt: a name may point elsewhere by now.
          s.connect(new InetSocketAddress(addr.getHostString(), addr.getPort()), (int) Params.CONNECT_TIMEOUT.toMillis());
          OutputStream out = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
          int at = Frames.beginFrame(w);
          w.u8(Frames.PEER).u8(Frames.VERSION).i64(clusterId).varLong(self).varLong(peer);
          Frames.endFrame(w, at);
          Frames.drainTo(w, out);
          out.flush();
          if (!answered(s)) return;
          backoff = Params.RECONNECT_MIN.toMillis();
          while (!closed && !stopped) {
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
        if (closed || stopped) return;
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
