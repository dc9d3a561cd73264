package kubelab.client.events;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;
import kubelab.api.core.Event;
import kubelab.api.core.ObjectReference;
import kubelab.api.meta.KubeObject;
import kubelab.client.ApiException;
import kubelab.client.KubeClientException;
import kubelab.client.Params;
import kubelab.client.flowcontrol.Sleeper;

/**
 * Posts the events of a process's recorders to an {@link EventSink}, one at a time on its own
 * thread (client-go record.EventBroadcaster with StartRecordingToSink):
 *
 * <pre>{@code
 * EventBroadcaster events = new EventBroadcaster(EventSink.of(client), Clock.systemUTC());
 * EventRecorder recorder = events.newRecorder("default-scheduler", hostname);
 * recorder.event(pod, EventType.NORMAL, "Scheduled", "Successfully assigned default/web-0 to node-2");
 * }</pre>
 *
 * <p>Each event passes the {@link EventCorrelator} (aggregation, count of repeats, spam filter),
 * then is created, or patched if it repeats one already posted (falling back to a create if that
 * one was deleted). If the server cannot be reached, the post is retried up to 12 times, 10 s
 * apart (the first wait randomised); if the server rejects it, it is dropped: events are
 * best-effort, as in Kubernetes.
 *
 * <p>Threading: recorders only enqueue (never block; a full queue drops and counts the event).
 * The posting thread is the only user of the correlator and the sink. Timestamps come from the
 * injected {@link Clock}.
 */
public final class EventBroadcaster implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(EventBroadcaster.class.getName());
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ISO_INSTANT;

  private final EventSink sink;
  private final Clock clock;
  private final Sleeper sleeper;
  private final RandomGenerator random = RandomGenerator.of("L64X128MixRandom");
  private final EventCorrelator correlator;
  private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(Params.EVENT_QUEUE_SIZE);
  private final Thread poster;
  private volatile boolean closed;
  private final AtomicLong posted = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong filtered = new AtomicLong();
  private final AtomicLong inFlight = new AtomicLong();

  public EventBroadcaster(EventSink sink, Clock clock) {
    this(sink, clock, Sleeper.REAL);
  }

  /** @param sleeper how to wait between attempts to reach the server */
  public EventBroadcaster(EventSink sink, Clock clock, Sleeper sleeper) {
    this.sink = sink;
    this.clock = clock;
    this.sleeper = sleeper;
    this.correlator = new EventCorrelator(clock);
    this.poster = new Thread(this::postLoop, "event-broadcaster");
    poster.setDaemon(true);
    poster.start();
  }

  /**
   * A recorder for one component: its events carry {@code source.component} (e.g.
   * "default-scheduler", "kubelet") and {@code source.host}, and the same values as
   * reportingComponent/reportingInstance.
   */
  public EventRecorder newRecorder(String component, String host) {
    return (object, type, reason, message) -> {
      if (closed) return;
      Event e = makeEvent(object, type, reason, message, component, host);
      inFlight.incrementAndGet();
      if (!queue.offer(e)) {
        inFlight.decrementAndGet();
        long n = dropped.incrementAndGet();
        // The first drop, then every 1,000th: a burst (a benchmark binding thousands of pods) is
        // one line per thousand, not a line per event.
        if (n == 1 || n % 1000 == 0)
          LOG.log(Level.WARNING, "event queue full: dropping event {0} {1}: {2} ({3} dropped so far)",
              new Object[] {reason, object.key(), message, n});
      }
    };
  }

  private Event makeEvent(KubeObject obj, String type, String reason, String message, String component, String host) {
    if (!EventType.NORMAL.equals(type) && !EventType.WARNING.equals(type)) {
      throw new IllegalArgumentException("event type must be Normal or Warning, not " + type);
    }
    Instant now = clock.instant();
    ObjectReference ref = new ObjectReference(obj.kind, obj.metadata.namespace, obj.metadata.name);
    ref.apiVersion = obj.apiVersion;
    ref.uid = obj.metadata.uid;
    ref.resourceVersion = obj.metadata.resourceVersion;
    Event e = new Event();
    // events of cluster-scoped objects (nodes) live in "default", as client-go puts them
    e.metadata.namespace = obj.metadata.namespace == null || obj.metadata.namespace.isEmpty()
        ? "default" : obj.metadata.namespace;
    e.metadata.name = eventName(ref, now);
    e.involvedObject = ref;
    e.reason = reason;
    e.message = message;
    e.type = type;
    e.count = 1;
    e.firstTimestamp = e.lastTimestamp = timestamp(now);
    e.source = host == null || host.isEmpty() ? Map.of("component", component) : Map.of("component", component, "host", host);
    e.reportingComponent = component;
    e.reportingInstance = host;
    return e;
  }

  /** {@code <object name>.<hex unix nanos>}: client-go's event naming. */
  static String eventName(ObjectReference ref, Instant now) {
    long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    return ref.name + "." + Long.toHexString(nanos);
  }

  /** metav1.Time: RFC 3339, whole seconds, UTC. */
  static String timestamp(Instant t) {
    return SECONDS.format(t.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC).toInstant());
  }

  private void postLoop() {
    while (true) {
      Event e;
      try {
        e = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException ie) {
        return;
      }
      if (e == null) {
        if (closed) return;
        continue;
      }
      try {
        recordToSink(e);
      } catch (RuntimeException ex) {
        LOG.log(Level.ERROR, "posting event failed", ex);
      } finally {
        inFlight.decrementAndGet();
      }
    }
  }

  private void recordToSink(Event event) {
    EventCorrelator.Result r = correlator.correlate(event);
    if (r.skip()) {
      filtered.incrementAndGet();
      return;
    }
    for (int attempt = 1; ; attempt++) {
      if (tryPost(r)) return;
      if (attempt >= Params.EVENT_POST_ATTEMPTS || closed) {
        LOG.log(Level.ERROR, "unable to write event {0} after {1} attempts: dropping it", r.event().reason, attempt);
        dropped.incrementAndGet();
        return;
      }
      Duration wait = attempt == 1
          ? Duration.ofNanos((long) (random.nextDouble() * Params.EVENT_POST_RETRY.toNanos()))
          : Params.EVENT_POST_RETRY;
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException ie) {
        return;
      }
    }
  }

  /** Returns true when done with the event (posted, or rejected for good); false to retry. */
  private boolean tryPost(EventCorrelator.Result r) {
    Event e = r.event();
    boolean updateExisting = e.count != null && e.count > 1 && r.patch() != null;
    try {
      Event stored = null;
      if (updateExisting) {
        try {
          stored = sink.patch(e, r.patch());
        } catch (ApiException.NotFound gone) {
          stored = null; // the event was deleted (or expired): create it afresh
        }
      }
      if (stored == null) {
        e.metadata.resourceVersion = null;
        stored = sink.create(e);
      }
      correlator.updateState(stored, correlator.dedupKey(e));
      posted.incrementAndGet();
      return true;
    } catch (ApiException rejectedByServer) {
      rejected.incrementAndGet();
      if (!(rejectedByServer instanceof ApiException.AlreadyExists)) {
        LOG.log(Level.WARNING, "server rejected event {0} {1}: {2} (will not retry)", e.reason,
            e.involvedObject == null ? "" : e.involvedObject.name, rejectedByServer.getMessage());
      }
      return true;
    } catch (KubeClientException unreachable) {
      LOG.log(Level.INFO, "unable to write event (may retry after sleeping): {0}", unreachable.getMessage());
      return false;
    }
  }

  /** Events created or patched on the server. */
  public long postedCount() { return posted.get(); }
  /** Events dropped: queue full, or the server unreachable for every attempt. */
  public long droppedCount() { return dropped.get(); }
  /** Events the server refused (4xx). */
  public long rejectedCount() { return rejected.get(); }
  /** Events the spam filter swallowed. */
  public long filteredCount() { return filtered.get(); }

  /** Waits until every event recorded so far has been handled (posted, dropped or filtered). */
  public boolean flush(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (inFlight.get() > 0) {
      if (System.nanoTime() > deadline) return false;
      Thread.sleep(2);
    }
    return true;
  }

  /** Stops accepting events, posts what is queued (for up to 5 s) and ends the thread. */
  @Override public void close() {
    try {
      flush(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closed = true;
    poster.interrupt();
    try {
      poster.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
