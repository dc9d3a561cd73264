package kubelab.store.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import kubelab.store.KvStore;
import kubelab.store.StoreException;
import kubelab.store.StoreException.Code;

/**
 * Real etcd as a {@link KvStore}, through jetcd (gRPC): the peer {@code lab bench store}
 * measures against, driven by the very same load generator, and a second implementation the
 * KvStore contract is checked on (which is how the contract's rules were confirmed to be etcd's).
 *
 * <p>Mapping notes: jetcd returns a transaction's responses grouped by kind, so they are put back
 * in the order of the requests; etcd's gRPC errors become {@link StoreException} codes by their
 * status and text. jetcd 0.8.7 cannot express a LEASE compare or call LeaseLeases (its protocol
 * files predate them): those fail with INVALID_ARGUMENT saying so.
 */
public final class EtcdKvStore implements KvStore {
  private final Client client;
  private volatile boolean closed;

  /** A client over {@code endpoints} (HOST:PORT each), using jetcd's default round-robin over them. */
  public EtcdKvStore(List<String> endpoints) {
    List<String> urls = new ArrayList<>();
    for (String e : endpoints) urls.add(e.startsWith("http") ? e : "http://" + e);
    client = Client.builder().endpoints(urls.toArray(String[]::new)).build();
  }

  private static ByteSequence bs(String s) {
    return ByteSequence.from(s, UTF_8);
  }

  private static ByteSequence bs(byte[] b) {
    return ByteSequence.from(b == null ? new byte[0] : b);
  }

  static StoreException map(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
    if (t instanceof StoreException s) return s;
    String msg = String.valueOf(t.getMessage());
    if (t instanceof CompactedException c) return new StoreException(Code.COMPACTED, msg, c.getCompactedRevision(), t);
    if (msg.contains("compacted")) return new StoreException(Code.COMPACTED, msg, 0, t);
    if (msg.contains("future revision")) return new StoreException(Code.FUTURE_REVISION, msg, 0, t);
    if (msg.contains("lease not found")) return new StoreException(Code.LEASE_NOT_FOUND, msg, 0, t);
    if (msg.contains("too large")) return new StoreException(Code.TOO_LARGE, msg, 0, t);
    if (t instanceof EtcdException e) {
      switch (e.getErrorCode()) {
        case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> {
          return new StoreException(Code.INVALID_ARGUMENT, msg, 0, t);
        }
        case NOT_FOUND -> {
          return new StoreException(Code.LEASE_NOT_FOUND, msg, 0, t);
        }
        case UNAVAILABLE -> {
          return new StoreException(Code.UNAVAILABLE, msg, 0, t);
        }
        case DEADLINE_EXCEEDED -> {
          return new StoreException(Code.TIMEOUT, msg, 0, t);
        }
        default -> {
          return new StoreException(Code.INTERNAL, msg, 0, t);
        }
      }
    }
    if (t instanceof io.grpc.StatusRuntimeException sre) {
      return switch (sre.getStatus().getCode()) {
        case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> new StoreException(Code.INVALID_ARGUMENT, msg, 0, t);
        case NOT_FOUND -> new StoreException(Code.LEASE_NOT_FOUND, msg, 0, t);
        case UNAVAILABLE -> new StoreException(Code.UNAVAILABLE, msg, 0, t);
        case DEADLINE_EXCEEDED -> new StoreException(Code.TIMEOUT, msg, 0, t);
        default -> new StoreException(Code.INTERNAL, msg, 0, t);
      };
    }
    if (t.getCause() != null && t.getCause() != t && !(t instanceof EtcdException)) return map(t.getCause());
    if (t instanceof IllegalStateException || t instanceof java.util.concurrent.RejectedExecutionException) {
      return new StoreException(Code.UNAVAILABLE, msg, 0, t);
    }
    return new StoreException(Code.INTERNAL, msg, 0, t);
  }

  private <A, B> CompletableFuture<B> call(java.util.function.Supplier<CompletableFuture<A>> f, Function<A, B> convert) {
    if (closed) return CompletableFuture.failedFuture(new StoreException(Code.UNAVAILABLE, "client closed"));
    CompletableFuture<B> out = new CompletableFuture<>();
    CompletableFuture<A> in;
    try {
      in = f.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(map(e));
    }
    in.whenComplete((v, t) -> {
      if (t != null) {
        out.completeExceptionally(map(t));
        return;
      }
      try {
        out.complete(convert.apply(v));
      } catch (RuntimeException e) {
        out.completeExceptionally(map(e));
      }
    });
    return out;
  }

  static KeyValue kv(io.etcd.jetcd.KeyValue k) {
    if (k == null || k.getKey().isEmpty()) return null;
    return new KeyValue(k.getKey().toString(UTF_8), k.getValue().getBytes(), k.getCreateRevision(), k.getModRevision(), k.getVersion(), k.getLease());
  }

  private static GetOption getOption(RangeRequest r) {
    GetOption.Builder b = GetOption.builder().withLimit(r.limit()).withRevision(r.revision()).withKeysOnly(r.keysOnly())
        .withCountOnly(r.countOnly()).withSerializable(r.serializable());
    if (r.rangeEnd() != null) b.withRange(bs(r.rangeEnd()));
    return b.build();
  }

  private static RangeResponse range(io.etcd.jetcd.kv.GetResponse g) {
    List<KeyValue> kvs = new ArrayList<>();
    for (io.etcd.jetcd.KeyValue k : g.getKvs()) kvs.add(kv(k));
    return new RangeResponse(g.getHeader().getRevision(), kvs, g.isMore(), g.getCount());
  }

  private static PutOption putOption(PutRequest p) {
    PutOption.Builder b = PutOption.builder().withLeaseId(p.lease());
    if (p.prevKv()) b.withPrevKV();
    return b.build();
  }

  private static DeleteOption deleteOption(DeleteRequest d) {
    DeleteOption.Builder b = DeleteOption.builder().withPrevKV(d.prevKv());
    if (d.rangeEnd() != null) b.withRange(bs(d.rangeEnd()));
    return b.build();
  }

  private static DeleteResponse delete(io.etcd.jetcd.kv.DeleteResponse d) {
    List<KeyValue> prev = new ArrayList<>();
    for (io.etcd.jetcd.KeyValue k : d.getPrevKvs()) prev.add(kv(k));
    return new DeleteResponse(d.getHeader().getRevision(), d.getDeleted(), prev);
  }

  @Override
  public CompletableFuture<RangeResponse> range(RangeRequest r) {
    return call(() -> client.getKVClient().get(bs(r.key()), getOption(r)), EtcdKvStore::range);
  }

  @Override
  public CompletableFuture<PutResponse> put(PutRequest p) {
    return call(() -> client.getKVClient().put(bs(p.key()), bs(p.value()), putOption(p)),
        r -> new PutResponse(r.getHeader().getRevision(), r.hasPrevKv() ? kv(r.getPrevKv()) : null));
  }

  @Override
  public CompletableFuture<DeleteResponse> delete(DeleteRequest d) {
    return call(() -> client.getKVClient().delete(bs(d.key()), deleteOption(d)), EtcdKvStore::delete);
  }

  private static io.etcd.jetcd.op.Op op(Op o) {
    if (o instanceof RangeRequest r) return io.etcd.jetcd.op.Op.get(bs(r.key()), getOption(r));
    if (o instanceof PutRequest p) return io.etcd.jetcd.op.Op.put(bs(p.key()), bs(p.value()), putOption(p));
    DeleteRequest d = (DeleteRequest) o;
    return io.etcd.jetcd.op.Op.delete(bs(d.key()), deleteOption(d));
  }

  private static Cmp cmp(Compare c) {
    Cmp.Op op = switch (c.result()) {
      case EQUAL -> Cmp.Op.EQUAL;
      case NOT_EQUAL -> Cmp.Op.NOT_EQUAL;
      case GREATER -> Cmp.Op.GREATER;
      case LESS -> Cmp.Op.LESS;
    };
    CmpTarget<?> t = switch (c.target()) {
      case VALUE -> CmpTarget.value(bs(c.value()));
      case VERSION -> CmpTarget.version(c.number());
      case CREATE -> CmpTarget.createRevision(c.number());
      case MOD -> CmpTarget.modRevision(c.number());
      case LEASE -> throw new StoreException(Code.INVALID_ARGUMENT, "jetcd 0.8.7 cannot express a LEASE compare");
    };
    return new Cmp(bs(c.key()), op, t);
  }

  @Override
  public CompletableFuture<TxnResponse> txn(TxnRequest t) {
    return call(() -> {
      List<Cmp> cs = new ArrayList<>();
      for (Compare c : t.compares()) cs.add(cmp(c));
      return client.getKVClient().txn().If(cs.toArray(Cmp[]::new))
          .Then(t.success().stream().map(EtcdKvStore::op).toArray(io.etcd.jetcd.op.Op[]::new))
          .Else(t.failure().stream().map(EtcdKvStore::op).toArray(io.etcd.jetcd.op.Op[]::new)).commit();
    }, r -> {
      // jetcd groups responses by kind; the requests' order puts them back in sequence.
      Iterator<io.etcd.jetcd.kv.GetResponse> gets = r.getGetResponses().iterator();
      Iterator<io.etcd.jetcd.kv.PutResponse> puts = r.getPutResponses().iterator();
      Iterator<io.etcd.jetcd.kv.DeleteResponse> dels = r.getDeleteResponses().iterator();
      long rev = r.getHeader().getRevision();
      List<OpResponse> out = new ArrayList<>();
      for (Op o : r.isSucceeded() ? t.success() : t.failure()) {
        if (o instanceof RangeRequest) out.add(range(gets.next()));
        else if (o instanceof PutRequest) {
          io.etcd.jetcd.kv.PutResponse p = puts.next();
          out.add(new PutResponse(rev, p.hasPrevKv() ? kv(p.getPrevKv()) : null));
        } else {
          out.add(delete(dels.next()));
        }
      }
      return new TxnResponse(rev, r.isSucceeded(), out);
    });
  }

  @Override
  public CompletableFuture<Long> compact(long revision) {
    return call(() -> client.getKVClient().compact(revision), r -> r.getHeader().getRevision());
  }

  @Override
  public WatchHandle watch(WatchRequest r, WatchListener l) {
    if (closed) throw new StoreException(Code.UNAVAILABLE, "client closed");
    WatchOption.Builder b = WatchOption.builder().withRevision(r.startRevision()).withPrevKV(r.prevKv())
        .withProgressNotify(r.progressNotify());
    if (r.rangeEnd() != null) b.withRange(bs(r.rangeEnd()));
    Watch.Watcher w = client.getWatchClient().watch(bs(r.key()), b.build(), new Watch.Listener() {
      @Override
      public void onNext(io.etcd.jetcd.watch.WatchResponse resp) {
        long rev = resp.getHeader().getRevision();
        if (resp.isProgressNotify()) {
          l.onProgress(rev);
          return;
        }
        List<WatchEvent> evs = new ArrayList<>();
        for (io.etcd.jetcd.watch.WatchEvent e : resp.getEvents()) {
          WatchEvent.Type type = e.getEventType() == io.etcd.jetcd.watch.WatchEvent.EventType.DELETE ? WatchEvent.Type.DELETE : WatchEvent.Type.PUT;
          evs.add(new WatchEvent(type, kv(e.getKeyValue()), kv(e.getPrevKV())));
        }
        if (!evs.isEmpty()) l.onEvents(rev, evs);
      }

      @Override
      public void onError(Throwable t) {
        StoreException e = map(t);
        if (e.code() == Code.COMPACTED) l.onCompacted(e.revision());
        else l.onError(e);
      }

      @Override
      public void onCompleted() {
        // the watch was closed by us
      }
    });
    return new WatchHandle() {
      @Override public void requestProgress() { w.requestProgress(); }
      @Override public void close() { w.close(); }
    };
  }

  @Override
  public CompletableFuture<Lease> leaseGrant(long ttlSeconds) {
    return call(() -> client.getLeaseClient().grant(ttlSeconds), r -> new Lease(r.getID(), r.getTTL()));
  }

  @Override
  public CompletableFuture<Void> leaseRevoke(long leaseId) {
    return call(() -> client.getLeaseClient().revoke(leaseId), r -> null);
  }

  @Override
  public CompletableFuture<Lease> leaseKeepAlive(long leaseId) {
    return call(() -> client.getLeaseClient().keepAliveOnce(leaseId), r -> {
      if (r.getTTL() <= 0) throw new StoreException(Code.LEASE_NOT_FOUND, "etcdserver: requested lease not found");
      return new Lease(r.getID(), r.getTTL());
    });
  }

  @Override
  public CompletableFuture<LeaseStatus> leaseTimeToLive(long leaseId, boolean keys) {
    LeaseOption o = keys ? LeaseOption.builder().withAttachedKeys().build() : LeaseOption.DEFAULT;
    return call(() -> client.getLeaseClient().timeToLive(leaseId, o), r -> {
      List<String> ks = new ArrayList<>();
      for (ByteSequence k : r.getKeys()) ks.add(k.toString(UTF_8));
      ks.sort(null);
      return new LeaseStatus(leaseId, r.getTTL(), r.getGrantedTTL(), ks);
    });
  }

  @Override
  public CompletableFuture<List<Long>> leases() {
    return CompletableFuture.failedFuture(new StoreException(Code.INVALID_ARGUMENT, "jetcd 0.8.7 has no LeaseLeases call"));
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    client.close();
  }
}
