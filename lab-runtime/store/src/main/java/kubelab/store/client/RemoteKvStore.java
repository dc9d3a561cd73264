package kubelab.store.client;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import kubelab.store.KvStore;
import kubelab.store.Params;
import kubelab.store.StoreException;
import kubelab.store.StoreException.Code;
import kubelab.store.client.ClientProtocol.MemberInfo;
import kubelab.store.codec.ByteReader;
import kubelab.store.codec.ByteWriter;
import kubelab.store.codec.CommandCodec;
import kubelab.store.server.LogView.LogPage;
import kubelab.store.server.MemberStatus;
import kubelab.store.server.MembershipChange;
import kubelab.store.transport.Frames;

/**
 * A {@link KvStore} on one member, over one TCP connection that carries every request at once
 * (pipelined; answers are matched by request id). For several members with failover, wrap a
 * few in a {@link FailoverKvStore} ({@link #connect(List)} does).
 *
 * <p>Threads: callers encode their request and queue it; a writer thread connects (lazily, and
 * again after a failure), writes everything queued in one go and flushes once; a reader thread
 * completes futures and calls watch listeners (listeners must not block, as the contract says).
 *
 * <p>Failures follow {@link StoreException}'s rules: a request that could not be sent (no
 * connection) fails {@code UNAVAILABLE}; a request in flight when the connection broke fails
 * {@code TIMEOUT} (outcome unknown); watches on a broken connection end with {@code onError}.
 */
public final class RemoteKvStore implements KvStore {
  private final InetSocketAddress address;
  private final LinkedBlockingQueue<Outgoing> queue = new LinkedBlockingQueue<>();
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  private final Map<Long, WatchListener> watches = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final Thread writer;
  private volatile Socket socket;
  private volatile boolean closed;

  private record Pending(CompletableFuture<Object> future, Function<ByteReader, Object> decode) {}

  /** {@code unsent} runs if the frame could not be sent (no connection); for watches. */
  private record Outgoing(long id, byte[] frame, Pending pending, Runnable unsent) {}

  public RemoteKvStore(InetSocketAddress address) {
    this.address = address;
    writer = new Thread(this::writeLoop, "kubelab-store-client-" + address);
    writer.setDaemon(true);
    writer.start();
  }

  /**
   * A failover client over {@code endpoints} (HOST:PORT each) that keeps its requests on the
   * leader (it asks the members every {@link Params#LEADER_DISCOVERY_INTERVAL}).
   */
  public static FailoverKvStore connect(List<InetSocketAddress> endpoints) {
    List<RemoteKvStore> rs = new ArrayList<>();
    for (InetSocketAddress a : endpoints) rs.add(new RemoteKvStore(a));
    FailoverKvStore f = new FailoverKvStore(rs, Params.REQUEST_TIMEOUT.toMillis() * 2);
    if (rs.size() > 1) {
      f.discoverLeader(kv -> ((RemoteKvStore) kv).status().thenApply(s -> s.role().equals("LEADER")), Params.LEADER_DISCOVERY_INTERVAL);
    }
    return f;
  }

  public InetSocketAddress address() {
    return address;
  }

  // --- plumbing ---------------------------------------------------------------------------------

  private interface Body {
    void write(ByteWriter w);
  }

  @SuppressWarnings("unchecked")
  private <T> CompletableFuture<T> call(int op, Body body, Function<ByteReader, T> decode) {
    if (closed) return CompletableFuture.failedFuture(new StoreException(Code.UNAVAILABLE, "client closed"));
    long id = ids.incrementAndGet();
    ByteWriter w = new ByteWriter(64);
    w.u8(op).varLong(id);
    body.write(w);
    Pending p = new Pending(new CompletableFuture<>(), (Function<ByteReader, Object>) decode);
    queue.add(new Outgoing(id, w.toByteArray(), p, null));
    return (CompletableFuture<T>) p.future();
  }

  private record Conn(Socket socket, OutputStream out) {}

  private void writeLoop() {
    Conn conn = null;
    ByteWriter w = new ByteWriter(1 << 16);
    List<Outgoing> batch = new ArrayList<>();
    while (!closed) {
      try {
        batch.add(queue.take());
        queue.drainTo(batch);
        if (conn == null || socket != conn.socket()) conn = connect();
        if (conn == null) {
          StoreException e = new StoreException(Code.UNAVAILABLE, "cannot connect to store member " + hostPort());
          for (Outgoing o : batch) {
            if (o.pending() != null) o.pending().future().completeExceptionally(e);
            if (o.unsent() != null) o.unsent().run();
          }
          batch.clear();
          continue;
        }
        // Register the answers we wait for only while this connection is still the live one:
        // connectionLost (same lock) fails everything registered, so nothing waits forever.
        boolean live;
        synchronized (this) {
          live = socket == conn.socket();
          if (live) for (Outgoing o : batch) if (o.pending() != null) pending.put(o.id(), o.pending());
        }
        if (!live) {
          StoreException e = new StoreException(Code.UNAVAILABLE, "connection to store member " + hostPort() + " lost before sending");
          for (Outgoing o : batch) {
            if (o.pending() != null) o.pending().future().completeExceptionally(e);
            if (o.unsent() != null) o.unsent().run();
          }
          batch.clear();
          conn = null;
          continue;
        }
        for (Outgoing o : batch) {
          int f = Frames.beginFrame(w);
          w.raw(o.frame(), 0, o.frame().length);
          Frames.endFrame(w, f);
        }
        Frames.drainTo(w, conn.out());
        conn.out().flush();
        batch.clear();
      } catch (InterruptedException e) {
        return;
      } catch (IOException e) {
        w.reset();
        connectionLost(conn == null ? null : conn.socket(), e);
        StoreException lost = new StoreException(Code.TIMEOUT, "connection to store member " + hostPort() + " lost: outcome unknown");
        for (Outgoing o : batch) if (o.pending() != null) o.pending().future().completeExceptionally(lost);
        batch.clear();
        conn = null;
      }
    }
  }

  private String hostPort() {
    return address.getHostString() + ":" + address.getPort();
  }

  /** Connects and starts the reader; returns the connection, or null if the member cannot be reached. */
  private Conn connect() {
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress(address.getHostString(), address.getPort()), (int) Params.CONNECT_TIMEOUT.toMillis());
      OutputStream os = new BufferedOutputStream(s.getOutputStream(), 1 << 16);
      ByteWriter hello = new ByteWriter(16);
      int f = Frames.beginFrame(hello);
      hello.u8(Frames.CLIENT).u8(Frames.VERSION);
      Frames.endFrame(hello, f);
      Frames.drainTo(hello, os);
      os.flush();
      DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
      synchronized (this) {
        socket = s;
      }
      Thread reader = new Thread(() -> readLoop(s, in), "kubelab-store-client-reader-" + hostPort());
      reader.setDaemon(true);
      reader.start();
      return new Conn(s, os);
    } catch (IOException e) {
      try {
        s.close();
      } catch (IOException ignored) {
        // never opened
      }
      return null;
    }
  }

  private void readLoop(Socket s, DataInputStream in) {
    try {
      while (!closed) {
        ByteReader r = new ByteReader(Frames.read(in));
        int kind = r.u8();
        long id = r.varLong();
        switch (kind) {
          case ClientProtocol.OK -> {
            Pending p = pending.remove(id);
            if (p != null) {
              try {
                p.future().complete(p.decode().apply(r));
              } catch (RuntimeException e) {
                p.future().completeExceptionally(new StoreException(Code.INTERNAL, "bad answer from " + hostPort() + ": " + e, 0, e));
              }
            }
          }
          case ClientProtocol.ERR -> {
            StoreException e = ClientProtocol.readError(r);
            Pending p = pending.remove(id);
            if (p != null) p.future().completeExceptionally(e);
            WatchListener l = watches.remove(id);
            if (l != null) l.onError(e);
          }
          case ClientProtocol.EVENTS -> {
            WatchListener l = watches.get(id);
            if (l != null) {
              long rev = r.varLong();
              l.onEvents(rev, CommandCodec.readEvents(r));
            }
          }
          case ClientProtocol.PROGRESS -> {
            WatchListener l = watches.get(id);
            if (l != null) l.onProgress(r.varLong());
          }
          case ClientProtocol.COMPACTED -> {
            WatchListener l = watches.remove(id);
            if (l != null) l.onCompacted(r.varLong());
          }
          case ClientProtocol.WATCH_ERR -> {
            WatchListener l = watches.remove(id);
            if (l != null) l.onError(ClientProtocol.readError(r));
          }
          default -> throw new IOException("unknown answer kind " + kind);
        }
      }
    } catch (IOException | RuntimeException e) {
      connectionLost(s, e);
    }
  }

  /** Connection {@code which} broke (null: whichever is open, on close): fail what waits on it. */
  private synchronized void connectionLost(Socket which, Exception cause) {
    if (which != null && socket != which) return; // an older connection, already handled
    Socket s = socket;
    socket = null;
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // already broken
      }
    }
    StoreException lost = new StoreException(Code.TIMEOUT, "connection to store member " + hostPort() + " lost: outcome unknown");
    for (Long id : new ArrayList<>(pending.keySet())) {
      Pending p = pending.remove(id);
      if (p != null) p.future().completeExceptionally(lost);
    }
    StoreException gone = new StoreException(Code.UNAVAILABLE, "connection to store member " + hostPort() + " lost");
    for (Long id : new ArrayList<>(watches.keySet())) {
      WatchListener l = watches.remove(id);
      if (l != null) l.onError(gone);
    }
  }

  // --- KvStore ----------------------------------------------------------------------------------

  @Override
  public CompletableFuture<RangeResponse> range(RangeRequest r) {
    return call(ClientProtocol.RANGE, w -> CommandCodec.writeRange(w, r), CommandCodec::readRangeResponse);
  }

  @Override
  public CompletableFuture<PutResponse> put(PutRequest r) {
    return call(ClientProtocol.PUT, w -> CommandCodec.writePut(w, r), CommandCodec::readPutResponse);
  }

  @Override
  public CompletableFuture<DeleteResponse> delete(DeleteRequest r) {
    return call(ClientProtocol.DELETE, w -> CommandCodec.writeDelete(w, r), CommandCodec::readDeleteResponse);
  }

  @Override
  public CompletableFuture<TxnResponse> txn(TxnRequest t) {
    return call(ClientProtocol.TXN, w -> CommandCodec.writeTxn(w, t), CommandCodec::readTxnResponse);
  }

  @Override
  public CompletableFuture<Long> compact(long revision) {
    return call(ClientProtocol.COMPACT, w -> w.varLong(revision), ByteReader::varLong);
  }

  @Override
  public CompletableFuture<Lease> leaseGrant(long ttlSeconds) {
    return call(ClientProtocol.LEASE_GRANT, w -> w.varLong(ttlSeconds), r -> new Lease(r.varLong(), r.varLong()));
  }

  @Override
  public CompletableFuture<Void> leaseRevoke(long leaseId) {
    return call(ClientProtocol.LEASE_REVOKE, w -> w.varLong(leaseId), r -> null);
  }

  @Override
  public CompletableFuture<Lease> leaseKeepAlive(long leaseId) {
    return call(ClientProtocol.LEASE_KEEPALIVE, w -> w.varLong(leaseId), r -> new Lease(r.varLong(), r.varLong()));
  }

  @Override
  public CompletableFuture<LeaseStatus> leaseTimeToLive(long leaseId, boolean keys) {
    return call(ClientProtocol.LEASE_TTL, w -> w.varLong(leaseId).bool(keys), ClientProtocol::readLeaseStatus);
  }

  @Override
  public CompletableFuture<List<Long>> leases() {
    return call(ClientProtocol.LEASES, w -> {}, r -> {
      int n = r.length();
      List<Long> out = new ArrayList<>(n);
      for (int i = 0; i < n; i++) out.add(r.varLong());
      return out;
    });
  }

  /** This member's status (etcdctl endpoint status). */
  public CompletableFuture<MemberStatus> status() {
    return call(ClientProtocol.STATUS, w -> {}, ClientProtocol::readStatus);
  }

  /** The cluster's members as this member knows them (etcdctl member list). */
  public CompletableFuture<List<MemberInfo>> members() {
    return call(ClientProtocol.MEMBERS, w -> {}, ClientProtocol::readMembers);
  }

  /** What a joining member needs: cluster id, founders, members now. */
  public CompletableFuture<ClientProtocol.ClusterInfo> cluster() {
    return call(ClientProtocol.CLUSTER, w -> {}, ClientProtocol::readCluster);
  }

  /**
   * Adds member {@code name}, which will listen on {@code hostPort} (etcdctl member add); completes
   * once the member that received the request applied the change. Best sent to the leader: a
   * follower forwards it, and if another change is pending there its request only times out.
   */
  public CompletableFuture<MembershipChange> memberAdd(String name, String hostPort) {
    return call(ClientProtocol.MEMBER_ADD, w -> w.string(name).string(hostPort), ClientProtocol::readChange);
  }

  /** Removes member {@code name} (etcdctl member remove). */
  public CompletableFuture<MembershipChange> memberRemove(String name) {
    return call(ClientProtocol.MEMBER_REMOVE, w -> w.string(name), ClientProtocol::readChange);
  }

  /** Entries of this member's Raft log: from {@code from} (0: the last {@code limit}), decoded if asked. */
  public CompletableFuture<LogPage> log(long from, int limit, boolean decode) {
    return call(ClientProtocol.LOG, w -> w.varLong(from).varInt(limit).bool(decode), ClientProtocol::readLog);
  }

  @Override
  public WatchHandle watch(WatchRequest r, WatchListener listener) {
    if (closed) throw new StoreException(Code.UNAVAILABLE, "client closed");
    long id = ids.incrementAndGet();
    watches.put(id, listener);
    ByteWriter w = new ByteWriter(64);
    w.u8(ClientProtocol.WATCH).varLong(id).string(r.key()).nullableString(r.rangeEnd()).varLong(r.startRevision())
        .bool(r.prevKv()).bool(r.progressNotify());
    // No pending future: the watch's answers are its events. If the member cannot be reached, the
    // listener hears it through onError (here, or from connectionLost).
    queue.add(new Outgoing(id, w.toByteArray(), null, () -> {
      if (watches.remove(id) != null) listener.onError(new StoreException(Code.UNAVAILABLE, "cannot connect to store member " + hostPort()));
    }));
    return new WatchHandle() {
      @Override
      public void requestProgress() {
        queue.add(new Outgoing(id, new ByteWriter(16).u8(ClientProtocol.WATCH_PROGRESS).varLong(id).toByteArray(), null, null));
      }

      @Override
      public void close() {
        if (watches.remove(id) != null) {
          queue.add(new Outgoing(id, new ByteWriter(16).u8(ClientProtocol.WATCH_CANCEL).varLong(id).toByteArray(), null, null));
        }
      }
    };
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    writer.interrupt();
    connectionLost(null, new IOException("closed"));
    StoreException e = new StoreException(Code.UNAVAILABLE, "client closed");
    for (Outgoing o : queue) if (o.pending() != null) o.pending().future().completeExceptionally(e);
  }
}
