package kubelab.store.server;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiConsumer;
import kubelab.store.KvStore;
import kubelab.store.KvStore.WatchEvent;
import kubelab.store.StoreException;
import kubelab.store.client.ClientProtocol;
import kubelab.store.codec.ByteReader;
import kubelab.store.codec.ByteWriter;
import kubelab.store.codec.CommandCodec;
import kubelab.store.codec.CorruptDataException;
import kubelab.store.transport.Frames;

/**
 * One client connection to a member (the server side of {@link kubelab.store.client.RemoteKvStore}).
 * The connection's thread reads and dispatches requests without waiting for them; each answer is
 * queued, as a small closure, to the session's writer thread, which encodes everything queued,
 * writes it in one go and flushes once. So the member's apply thread never encodes or writes, and
 * a pipelined client's burst of answers costs one syscall.
 */
final class ClientSession {
  private static final Object CLOSE = new Object();

  private final Member member;
  private final Socket socket;
  private final LinkedBlockingQueue<Object> out = new LinkedBlockingQueue<>();
  private final Map<Long, KvStore.WatchHandle> watches = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private ClientSession(Member member, Socket socket) {
    this.member = member;
    this.socket = socket;
  }

  /** Serves the connection until it closes (called on the connection's thread). */
  static void serve(Member member, Socket socket, DataInputStream in, ByteReader hello) throws IOException {
    int version = hello.u8();
    if (version != Frames.VERSION) throw new IOException("client speaks protocol version " + version);
    ClientSession s = new ClientSession(member, socket);
    Thread writer = new Thread(s::writeLoop, "kubelab-store-client-writer-" + socket.getRemoteSocketAddress());
    writer.setDaemon(true);
    writer.start();
    try {
      while (!member.stopped) s.dispatch(Frames.read(in));
    } finally {
      s.closed = true;
      s.watches.values().forEach(KvStore.WatchHandle::close);
      s.out.add(CLOSE);
    }
  }

  private interface Encoder {
    void encode(ByteWriter w);
  }

  private void send(Encoder e) {
    if (!closed) out.add(e);
  }

  private void writeLoop() {
    ByteWriter w = new ByteWriter(1 << 16);
    List<Object> batch = new ArrayList<>();
    try {
      OutputStream os = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
      while (true) {
        batch.add(out.take());
        out.drainTo(batch);
        for (Object o : batch) {
          if (o == CLOSE) return;
          int f = Frames.beginFrame(w);
          ((Encoder) o).encode(w);
          Frames.endFrame(w, f);
          if (w.position() > (1 << 18)) Frames.drainTo(w, os);
        }
        batch.clear();
        Frames.drainTo(w, os);
        os.flush();
      }
    } catch (IOException | InterruptedException e) {
      closed = true;
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  /** Answers request {@code id} when {@code f} completes: OK with {@code body}, or ERR. */
  private <T> void reply(long id, CompletableFuture<T> f, BiConsumer<ByteWriter, T> body) {
    f.whenComplete((v, t) -> {
      if (t == null) {
        send(w -> {
          w.u8(ClientProtocol.OK).varLong(id);
          body.accept(w, v);
        });
      } else {
        Throwable c = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        StoreException e = c instanceof StoreException se ? se
            : new StoreException(StoreException.Code.INTERNAL, String.valueOf(c), 0, c);
        send(w -> ClientProtocol.writeError(w, id, e));
      }
    });
  }

  @SuppressWarnings("unchecked")
  private static <T> CompletableFuture<T> cast(CompletableFuture<Object> f) {
    return (CompletableFuture<T>) (CompletableFuture<?>) f;
  }

  private void dispatch(byte[] frame) {
    ByteReader r = new ByteReader(frame);
    int op = r.u8();
    long id = r.varLong();
    try {
      switch (op) {
        case ClientProtocol.RANGE -> reply(id, cast(member.rangeRaw(CommandCodec.readRange(r))), CommandCodec::writeRangeResponse);
        case ClientProtocol.PUT -> reply(id, cast(member.proposeEncoded(CommandCodec.PUT, frame, r.position(), r.remaining())),
            CommandCodec::writePutResponse);
        case ClientProtocol.DELETE -> reply(id, cast(member.propose(new kubelab.store.mvcc.Command.Delete(CommandCodec.readDelete(r)))),
            CommandCodec::writeDeleteResponse);
        case ClientProtocol.TXN -> reply(id, cast(member.txnRaw(CommandCodec.readTxn(r))), CommandCodec::writeTxnResponse);
        case ClientProtocol.COMPACT -> reply(id, cast(member.propose(new kubelab.store.mvcc.Command.Compact(r.varLong()))),
            (w, v) -> w.varLong((Long) v));
        case ClientProtocol.LEASE_GRANT -> reply(id, cast(member.leaseGrantRaw(r.varLong())),
            (w, v) -> w.varLong(((KvStore.Lease) v).id()).varLong(((KvStore.Lease) v).ttlSeconds()));
        case ClientProtocol.LEASE_REVOKE -> reply(id, member.propose(new kubelab.store.mvcc.Command.LeaseRevoke(r.varLong())), (w, v) -> {});
        case ClientProtocol.LEASE_KEEPALIVE -> reply(id, cast(member.propose(new kubelab.store.mvcc.Command.LeaseRenew(r.varLong()))),
            (w, v) -> w.varLong(((KvStore.Lease) v).id()).varLong(((KvStore.Lease) v).ttlSeconds()));
        case ClientProtocol.LEASE_TTL -> {
          long lease = r.varLong();
          boolean keys = r.bool();
          reply(id, CompletableFuture.completedFuture(member.leaseStatus(lease, keys)), ClientProtocol::writeLeaseStatus);
        }
        case ClientProtocol.LEASES -> reply(id, CompletableFuture.completedFuture(new ArrayList<>(member.mvcc.leases().keySet())),
            (w, v) -> {
              w.varInt(v.size());
              for (Long l : v) w.varLong(l);
            });
        case ClientProtocol.WATCH -> watch(id, r);
        case ClientProtocol.WATCH_CANCEL -> {
          KvStore.WatchHandle h = watches.remove(id);
          if (h != null) h.close();
        }
        case ClientProtocol.WATCH_PROGRESS -> {
          KvStore.WatchHandle h = watches.get(id);
          if (h != null) h.requestProgress();
        }
        case ClientProtocol.STATUS -> reply(id, CompletableFuture.completedFuture(member.status()), ClientProtocol::writeStatus);
        case ClientProtocol.MEMBERS -> reply(id, CompletableFuture.completedFuture(ClientProtocol.infos(member.membership().members())),
            ClientProtocol::writeMembers);
        case ClientProtocol.CLUSTER -> {
          Membership ms = member.membership();
          reply(id, CompletableFuture.completedFuture(new ClientProtocol.ClusterInfo(member.cfg.clusterIdHex(),
              member.cfg.identity().peersAtIndexZero(), ClientProtocol.infos(ms.founders()), ClientProtocol.infos(ms.members()))),
              ClientProtocol::writeCluster);
        }
        case ClientProtocol.MEMBER_ADD -> {
          String name = r.string();
          String address = r.string();
          reply(id, cast(member.addMember(name, address)), ClientProtocol::writeChange);
        }
        case ClientProtocol.MEMBER_REMOVE -> reply(id, cast(member.removeMember(r.string())), ClientProtocol::writeChange);
        case ClientProtocol.LOG -> {
          long from = r.varLong();
          int limit = r.varInt();
          boolean decode = r.bool();
          reply(id, CompletableFuture.completedFuture(LogView.page(member, from, limit, decode)), ClientProtocol::writeLog);
        }
        default -> throw new CorruptDataException("unknown request op " + op);
      }
    } catch (StoreException e) {
      send(w -> ClientProtocol.writeError(w, id, e));
    } catch (CorruptDataException e) {
      send(w -> ClientProtocol.writeError(w, id, new StoreException(StoreException.Code.INVALID_ARGUMENT, "bad request: " + e.getMessage())));
    }
  }

  private void watch(long id, ByteReader r) {
    KvStore.WatchRequest req = new KvStore.WatchRequest(r.string(), r.nullableString(), r.varLong(), r.bool(), r.bool());
    KvStore.WatchHandle h = member.watch(req, new KvStore.WatchListener() {
      @Override
      public void onEvents(long revision, List<WatchEvent> events) {
        send(w -> {
          w.u8(ClientProtocol.EVENTS).varLong(id).varLong(revision);
          CommandCodec.writeEvents(w, events);
        });
      }

      @Override
      public void onProgress(long revision) {
        send(w -> w.u8(ClientProtocol.PROGRESS).varLong(id).varLong(revision));
      }

      @Override
      public void onCompacted(long compactRevision) {
        watches.remove(id);
        send(w -> w.u8(ClientProtocol.COMPACTED).varLong(id).varLong(compactRevision));
      }

      @Override
      public void onError(Throwable cause) {
        watches.remove(id);
        StoreException e = cause instanceof StoreException se ? se : new StoreException(StoreException.Code.UNAVAILABLE, String.valueOf(cause));
        send(w -> {
          w.u8(ClientProtocol.WATCH_ERR).varLong(id);
          w.u8(e.code().ordinal()).string(String.valueOf(e.getMessage())).varLong(e.revision());
        });
      }
    }, true); // the listener only enqueues to this session's writer: run it inline
    watches.put(id, h);
  }
}
