package kubelab.store.transport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import kubelab.raft.Message;
import kubelab.raft.MessageType;

/**
 * The network of an embedded cluster: members in one JVM exchange messages through it, and the
 * REPL (and tests) bend it. Every fault is a rule here, applied when a message is sent:
 * <ul>
 *   <li>{@link #partition} / {@link #isolate} / {@link #heal}: messages across groups are lost;
 *   <li>{@link #drop}: each message from one member to another is lost with a probability;
 *   <li>{@link #duplicate}: a message is delivered twice with a probability;
 *   <li>{@link #delay}: a message between two members waits before delivery (different delays
 *       reorder messages: with a jitter, that is how reordering is injected);
 *   <li>{@link #pause}: messages to a member are held, then delivered in order on {@link #resume}
 *       (a stopped process, or a long GC pause);
 *   <li>{@link #stepMode}: every message is held in {@link #pending()} until {@link #step} lets
 *       one through (or {@link #dropPending} loses it): the REPL's {@code raft step}.
 * </ul>
 * Random choices come from a seeded {@link Random}, so a scenario with a seed replays the same
 * losses. {@link #tap} observes every delivery and loss (the REPL prints them).
 *
 * <p>Thread-safe. One daemon thread delivers delayed messages; undelayed messages are handed to the
 * receiver in the sender's thread (the receiver only enqueues).
 */
public final class InProcessNetwork implements AutoCloseable {
  /** What happened to a message, for {@link #tap}. */
  public enum Fate { DELIVERED, DROPPED, HELD, DUPLICATED }

  public record Event(Fate fate, Message message, String reason) {}

  /** A message held by step mode or a pause. */
  public record Pending(long seq, Message message) {}

  private final Map<Long, Endpoint> endpoints = new ConcurrentHashMap<>();
  private final Random random;
  private final Map<Long, Integer> group = new HashMap<>();
  private final Map<Long, Double> dropRate = new HashMap<>();
  private final Map<Long, long[]> delayMs = new HashMap<>();
  private double duplicateRate;
  private final Set<Long> paused = new HashSet<>();
  private boolean stepMode;
  private final List<Pending> pending = new ArrayList<>();
  private final AtomicLong seq = new AtomicLong();
  private final List<Consumer<Event>> taps = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final DelayQueue<Timed> timed = new DelayQueue<>();
  private final Thread timer;
  private volatile boolean closed;

  public InProcessNetwork() {
    this(1);
  }

  public InProcessNetwork(long seed) {
    random = new Random(seed);
    timer = new Thread(this::deliverTimed, "kubelab-inproc-net");
    timer.setDaemon(true);
    timer.start();
  }

  private static long pair(long from, long to) {
    return (from << 32) ^ to;
  }

  /** The transport of member {@code id} on this network (one per id at a time). */
  public Transport endpoint(long id) {
    return new Endpoint(id);
  }

  // --- fault rules ------------------------------------------------------------------------------

  /** Splits the members into groups that cannot talk to each other; members not named form one more group. */
  @SafeVarargs
  public final synchronized void partition(Set<Long>... groups) {
    group.clear();
    for (int g = 0; g < groups.length; g++) for (long id : groups[g]) group.put(id, g + 1);
  }

  /** Cuts one member off from all others. */
  public synchronized void isolate(long id) {
    group.clear();
    group.put(id, -1);
  }

  /** Removes partitions, drops, duplication, delays and pauses (held messages are delivered); leaves step mode as it is. */
  public void heal() {
    List<Pending> release;
    synchronized (this) {
      group.clear();
      dropRate.clear();
      delayMs.clear();
      duplicateRate = 0;
      paused.clear();
      release = stepMode ? List.of() : takePending(p -> true);
    }
    release.forEach(p -> deliverNow(p.message()));
  }

  /** Loses each message from {@code from} to {@code to} with probability {@code rate}. */
  public synchronized void drop(long from, long to, double rate) {
    dropRate.put(pair(from, to), rate);
  }

  /** Delivers each message twice with probability {@code rate}. */
  public synchronized void duplicate(double rate) {
    duplicateRate = rate;
  }

  /** Delays messages from {@code from} to {@code to} by {@code millis} plus up to {@code jitterMillis}. */
  public synchronized void delay(long from, long to, long millis, long jitterMillis) {
    delayMs.put(pair(from, to), new long[] {millis, jitterMillis});
  }

  /** Holds messages to {@code id} until {@link #resume}. */
  public synchronized void pause(long id) {
    paused.add(id);
  }

  public void resume(long id) {
    List<Pending> release;
    synchronized (this) {
      paused.remove(id);
      release = stepMode ? List.of() : takePending(p -> p.message().to() == id);
    }
    release.forEach(p -> deliverNow(p.message()));
  }

  /** In step mode every message waits in {@link #pending()}; turning it off releases them in order. */
  public void stepMode(boolean on) {
    List<Pending> release;
    synchronized (this) {
      stepMode = on;
      release = on ? List.of() : takePending(p -> !paused.contains(p.message().to()));
    }
    release.forEach(p -> deliverNow(p.message()));
  }

  public synchronized List<Pending> pending() {
    return List.copyOf(pending);
  }

  /** Delivers the held message {@code seq} (or the oldest, if {@code seq} is 0); returns it, or null. */
  public Message step(long seq) {
    Pending p = removePending(seq);
    if (p != null) deliverNow(p.message());
    return p == null ? null : p.message();
  }

  /** Loses the held message {@code seq} (or the oldest); returns it, or null. */
  public Message dropPending(long seq) {
    Pending p = removePending(seq);
    if (p != null) emit(new Event(Fate.DROPPED, p.message(), "dropped by hand"));
    return p == null ? null : p.message();
  }

  private synchronized Pending removePending(long s) {
    for (int i = 0; i < pending.size(); i++) {
      if (s == 0 || pending.get(i).seq() == s) return pending.remove(i);
    }
    return null;
  }

  private synchronized List<Pending> takePending(java.util.function.Predicate<Pending> which) {
    List<Pending> out = new ArrayList<>();
    for (var it = pending.iterator(); it.hasNext(); ) {
      Pending p = it.next();
      if (which.test(p)) {
        out.add(p);
        it.remove();
      }
    }
    return out;
  }

  /** Observes every message's fate. */
  public void tap(Consumer<Event> observer) {
    taps.add(observer);
  }

  private void emit(Event e) {
    for (Consumer<Event> t : taps) t.accept(e);
  }

  // --- delivery ---------------------------------------------------------------------------------

  private void send(Message m) {
    long delay = 0;
    int copies = 1;
    synchronized (this) {
      if (closed) return;
      int gf = group.getOrDefault(m.from(), 0), gt = group.getOrDefault(m.to(), 0);
      if (gf != gt) {
        emit(new Event(Fate.DROPPED, m, "partitioned"));
        return;
      }
      Double rate = dropRate.get(pair(m.from(), m.to()));
      if (rate != null && random.nextDouble() < rate) {
        emit(new Event(Fate.DROPPED, m, "dropped"));
        return;
      }
      if (duplicateRate > 0 && random.nextDouble() < duplicateRate) copies = 2;
      if (stepMode || paused.contains(m.to())) {
        for (int i = 0; i < copies; i++) pending.add(new Pending(seq.incrementAndGet(), m));
        emit(new Event(Fate.HELD, m, stepMode ? "step mode" : "member paused"));
        return;
      }
      long[] d = delayMs.get(pair(m.from(), m.to()));
      if (d != null) delay = d[0] + (d[1] > 0 ? (long) (random.nextDouble() * d[1]) : 0);
    }
    for (int i = 0; i < copies; i++) {
      if (i == 1) emit(new Event(Fate.DUPLICATED, m, "duplicated"));
      if (delay > 0) timed.add(new Timed(System.nanoTime() + delay * 1_000_000, seq.incrementAndGet(), m));
      else deliverNow(m);
    }
  }

  private void deliverNow(Message m) {
    Endpoint to = endpoints.get(m.to());
    Endpoint from = endpoints.get(m.from());
    if (to == null || to.handler == null) {
      emit(new Event(Fate.DROPPED, m, "member down"));
      if (from != null && from.handler != null) {
        from.handler.unreachable(m.to());
        if (m.type() == MessageType.SNAP) from.handler.snapshotStatus(m.to(), false);
      }
      return;
    }
    emit(new Event(Fate.DELIVERED, m, ""));
    to.handler.receive(m);
    if (m.type() == MessageType.SNAP && from != null && from.handler != null) from.handler.snapshotStatus(m.to(), true);
  }

  private void deliverTimed() {
    while (!closed) {
      try {
        Timed t = timed.take();
        boolean hold;
        synchronized (this) {
          hold = stepMode || paused.contains(t.m.to());
          if (hold) pending.add(new Pending(t.seq, t.m));
        }
        if (!hold) deliverNow(t.m);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private record Timed(long at, long seq, Message m) implements Delayed {
    @Override public long getDelay(TimeUnit unit) { return unit.convert(at - System.nanoTime(), TimeUnit.NANOSECONDS); }
    @Override public int compareTo(Delayed o) {
      Timed t = (Timed) o;
      int c = Long.compare(at, t.at);
      return c != 0 ? c : Long.compare(seq, t.seq);
    }
  }

  @Override
  public void close() {
    closed = true;
    timer.interrupt();
    endpoints.clear();
  }

  private final class Endpoint implements Transport {
    final long id;
    volatile Handler handler;

    Endpoint(long id) {
      this.id = id;
    }

    @Override
    public void start(Handler h) {
      handler = h;
      Endpoint old = endpoints.put(id, this);
      if (old != null && old != this) old.handler = null;
    }

    @Override
    public void send(List<Message> messages) {
      if (handler == null) return;
      for (Message m : messages) InProcessNetwork.this.send(m);
    }

    @Override
    public void close() {
      handler = null;
      endpoints.remove(id, this);
    }
  }
}
