package kubelab.store.bench;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import kubelab.store.KvStore;
import kubelab.store.KvStore.PutRequest;
import kubelab.store.KvStore.RangeRequest;
import kubelab.store.KvStore.WatchEvent;
import kubelab.store.KvStore.WatchRequest;

/**
 * The etcd anchor's workload, for any {@link KvStore} (ours, or etcd through jetcd), so both
 * systems are driven by the same code:
 * <ol>
 *   <li>preload: every one of 10,000 keys ({@code anchor/k/00000}…) once, 64 in flight; warm-up:
 *       puts at 16 in flight (neither is reported);
 *   <li>phases, closed loop (each of N chains sends its next request when the previous one
 *       completes): put with 1, 16 and 64 in flight, then single-key linearizable gets with 1 and
 *       64; keys uniformly at random, every put the same 256-byte random value;
 *   <li>watch delivery: a prefix watch on the last member, a writer on the first; after 50
 *       warm-up puts, 1,500 puts one at a time paced at 100/s, each value carrying its send time;
 *       latency = event receipt − send (both clients in this JVM share the clock), reported next
 *       to the same puts' ack latency.
 * </ol>
 * Latency is measured from issue to completion of the future, for every request; percentiles
 * are exact nearest-rank; ops/s counts completions over the phase's wall time including the drain.
 */
public final class LoadGenerator {
  /** Workload knobs; {@link #anchor} is the etcd anchor's. */
  public record Options(int keys, int valueBytes, double phaseSeconds, double warmupSeconds, int watchWarmup, int watchPuts,
                        int watchRatePerSecond) {
    public static Options anchor(double phaseSeconds) {
      return anchor(phaseSeconds, 10_000);
    }

    /**
     * The anchor's shape with {@code keys} keys. Phases of a second or more keep the anchor's
     * warm-up (half a second to 3 s) and watch run (100 to 1,500 puts after 50 warm-up puts);
     * shorter ones, for smoke tests, shrink both with the phase.
     */
    public static Options anchor(double phaseSeconds, int keys) {
      double warmup = Math.min(3, Math.max(Math.min(0.5, phaseSeconds), phaseSeconds / 5));
      int watchPuts = (int) Math.max(Math.min(100, Math.max(10, phaseSeconds * 100)), Math.min(1500, phaseSeconds * 100));
      return new Options(keys, 256, phaseSeconds, warmup, Math.min(50, watchPuts / 2), watchPuts, 100);
    }
  }

  /** One measured phase. Latencies in milliseconds. */
  public record Phase(String name, int inFlight, long ops, long errors, double seconds, double opsPerSecond,
                      double p50, double p99, double max) {}

  /** The watch phase: event latency (put sent → event at the other member) and the same puts' ack latency. */
  public record WatchResult(long puts, long events, double eventP50, double eventP99, double ackP50, double ackP99) {}

  public record Result(List<Phase> phases, WatchResult watch) {}

  private final Options o;
  private final byte[] value;
  private final Consumer<String> progress;
  private final AtomicLong requests = new AtomicLong();

  public LoadGenerator(Options o, Consumer<String> progress) {
    this.o = o;
    this.progress = progress;
    value = new byte[o.valueBytes()];
    new Random(42).nextBytes(value);
  }

  /** Requests completed so far (all phases, unreported ones included). */
  public long requests() {
    return requests.get();
  }

  private String key(int i) {
    return String.format("anchor/k/%05d", i);
  }

  /**
   * Runs everything against {@code cluster} (a client over all members), with {@code writer}
   * and {@code reader} clients bound to the first and last member for the watch phase.
   */
  public Result run(KvStore cluster, KvStore writer, KvStore reader) throws InterruptedException {
    String[] keys = new String[o.keys()];
    for (int i = 0; i < keys.length; i++) keys[i] = key(i);
    progress.accept("preload: " + o.keys() + " keys, 64 in flight");
    AtomicLong next = new AtomicLong();
    closedLoop(64, Long.MAX_VALUE, () -> {
      long i = next.getAndIncrement();
      return i < keys.length ? cluster.put(PutRequest.of(keys[(int) i], value)) : null;
    });
    progress.accept("warm-up: " + o.warmupSeconds() + " s of puts, 16 in flight");
    closedLoop(16, deadline(o.warmupSeconds()), () -> cluster.put(PutRequest.of(randomKey(keys), value)));
    List<Phase> phases = new ArrayList<>();
    for (int n : new int[] {1, 16, 64}) {
      progress.accept("put, " + n + " in flight, " + o.phaseSeconds() + " s");
      phases.add(measure(n == 1 ? "put (serial)" : "put", n, () -> cluster.put(PutRequest.of(randomKey(keys), value))));
    }
    for (int n : new int[] {1, 64}) {
      progress.accept("get (linearizable), " + n + " in flight, " + o.phaseSeconds() + " s");
      phases.add(measure("get, linearizable", n, () -> cluster.range(RangeRequest.key(randomKey(keys)))));
    }
    progress.accept("watch: " + o.watchPuts() + " puts paced at " + o.watchRatePerSecond() + "/s, event on another member");
    return new Result(phases, watch(writer, reader));
  }

  private static String randomKey(String[] keys) {
    return keys[ThreadLocalRandom.current().nextInt(keys.length)];
  }

  private static long deadline(double seconds) {
    return System.nanoTime() + (long) (seconds * 1e9);
  }

  private Phase measure(String name, int inFlight, Supplier<CompletableFuture<?>> op) throws InterruptedException {
    long t0 = System.nanoTime();
    Chains c = closedLoop(inFlight, t0 + (long) (o.phaseSeconds() * 1e9), op);
    double s = (System.nanoTime() - t0) / 1e9;
    long[] all = c.latencies();
    Arrays.sort(all);
    return new Phase(name, inFlight, all.length, c.errors.get(), s, all.length / s, pct(all, 0.50), pct(all, 0.99),
        all.length == 0 ? 0 : all[all.length - 1] / 1e6);
  }

  /** Nearest-rank percentile of sorted nanosecond samples, in milliseconds. */
  static double pct(long[] sorted, double q) {
    if (sorted.length == 0) return 0;
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
  }

  /** N chains issuing {@code op} until {@code deadline} (or until op returns null); returns their samples. */
  private Chains closedLoop(int n, long deadline, Supplier<CompletableFuture<?>> op) throws InterruptedException {
    Chains c = new Chains(n, deadline, op);
    for (int i = 0; i < n; i++) c.fire(i);
    c.done.await();
    requests.addAndGet(c.latencies().length + c.errors.get());
    return c;
  }

  private static final class Chains {
    final long deadline;
    final Supplier<CompletableFuture<?>> op;
    final CountDownLatch done;
    final long[][] samples;
    final int[] counts;
    final AtomicLong errors = new AtomicLong();

    Chains(int n, long deadline, Supplier<CompletableFuture<?>> op) {
      this.deadline = deadline;
      this.op = op;
      this.done = new CountDownLatch(n);
      this.samples = new long[n][1024];
      this.counts = new int[n];
    }

    /** Issues chain {@code i}'s next request; loops instead of recursing when futures complete at once. */
    void fire(int i) {
      while (true) {
        if (System.nanoTime() >= deadline) {
          done.countDown();
          return;
        }
        long t0 = System.nanoTime();
        CompletableFuture<?> f;
        try {
          f = op.get();
        } catch (RuntimeException e) {
          f = CompletableFuture.failedFuture(e);
        }
        if (f == null) {
          done.countDown();
          return;
        }
        if (!f.isDone()) {
          f.whenComplete((v, t) -> {
            record(i, t0, t);
            fire(i);
          });
          return;
        }
        Throwable t = null;
        try {
          f.join();
        } catch (RuntimeException e) {
          t = e;
        }
        record(i, t0, t);
      }
    }

    void record(int i, long t0, Throwable t) {
      long d = System.nanoTime() - t0;
      if (t != null) {
        errors.incrementAndGet();
        return;
      }
      if (counts[i] == samples[i].length) samples[i] = Arrays.copyOf(samples[i], counts[i] * 2);
      samples[i][counts[i]++] = d;
    }

    long[] latencies() {
      int total = 0;
      for (int c : counts) total += c;
      long[] out = new long[total];
      int at = 0;
      for (int i = 0; i < counts.length; i++) {
        System.arraycopy(samples[i], 0, out, at, counts[i]);
        at += counts[i];
      }
      return out;
    }
  }

  private WatchResult watch(KvStore writer, KvStore reader) throws InterruptedException {
    String prefix = "anchor/w/";
    LinkedBlockingQueue<long[]> got = new LinkedBlockingQueue<>();
    KvStore.WatchHandle h = reader.watch(WatchRequest.prefix(prefix, 0), new KvStore.WatchListener() {
      @Override
      public void onEvents(long revision, List<WatchEvent> events) {
        long now = System.nanoTime();
        for (WatchEvent e : events) {
          byte[] v = e.kv().value();
          if (e.type() == WatchEvent.Type.PUT && v.length >= 16) {
            ByteBuffer b = ByteBuffer.wrap(v);
            got.add(new long[] {b.getLong(), b.getLong(), now});
          }
        }
      }

      @Override public void onCompacted(long rev) {}

      @Override public void onError(Throwable cause) {}
    });
    try {
      // The watch is live once a marker put comes through it.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (true) {
        writer.put(PutRequest.of(prefix + "marker", stamp(-1, 0))).join();
        long[] e = got.poll(200, TimeUnit.MILLISECONDS);
        if (e != null && e[0] == -1) break;
        if (System.nanoTime() > deadline) throw new IllegalStateException("the watch never delivered the marker put");
      }
      got.clear();
      long[] ack = new long[o.watchPuts()];
      long interval = 1_000_000_000L / o.watchRatePerSecond();
      for (int i = -o.watchWarmup(); i < o.watchPuts(); i++) {
        long slot = System.nanoTime();
        long t0 = System.nanoTime();
        writer.put(PutRequest.of(prefix + "k", stamp(i, t0))).join();
        if (i >= 0) ack[i] = System.nanoTime() - t0;
        long sleep = slot + interval - System.nanoTime();
        if (sleep > 0) Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
      }
      Thread.sleep(500);
      requests.addAndGet(o.watchPuts() + o.watchWarmup());
      List<Long> lat = new ArrayList<>();
      for (long[] e; (e = got.poll()) != null; ) {
        if (e[0] >= 0) lat.add(e[2] - e[1]);
      }
      long[] l = lat.stream().mapToLong(Long::longValue).sorted().toArray();
      Arrays.sort(ack);
      return new WatchResult(o.watchPuts(), l.length, pct(l, 0.5), pct(l, 0.99), pct(ack, 0.5), pct(ack, 0.99));
    } finally {
      h.close();
    }
  }

  /** A value of the benchmark's size carrying a sequence number and a send time. */
  private byte[] stamp(long seq, long sentNanos) {
    byte[] v = value.clone();
    ByteBuffer.wrap(v).putLong(seq).putLong(sentNanos);
    return v;
  }
}
