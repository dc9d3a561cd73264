package kubelab.client.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import kubelab.api.Json;
import kubelab.api.core.Event;
import kubelab.api.core.ObjectReference;
import kubelab.client.Params;
import kubelab.client.flowcontrol.TokenBucket;

/**
 * Turns a stream of events into what the API server should store, as client-go's
 * {@code EventCorrelator} does (tools/record/events_cache.go, v0.32). Three stages:
 *
 * <ol>
 *   <li><b>Aggregation</b>: events that are alike except for the message (same source, object,
 *       type and reason) are counted in a 10-minute window; from the 10th distinct message on, they
 *       are replaced by one event whose message is {@code "(combined from similar events): " + msg}.
 *   <li><b>Deduplication</b>: an event identical to one already posted (same key, message
 *       included) is not posted again: the existing Event is patched with {@code count + 1}, the
 *       new {@code lastTimestamp} and message. That is {@code kubectl describe}'s "x5 over 3m".
 *   <li><b>Spam filter</b>: per source and object, a token bucket (burst 25, one token per 5
 *       minutes) drops events beyond that rate.
 * </ol>
 *
 * <p>Pure apart from the injected {@link Clock}; all state is in bounded LRU maps. Not
 * thread-safe: the broadcaster's posting thread owns it.
 */
public final class EventCorrelator {
  /** What to do with one event. */
  public record Result(Event event, String patch, boolean skip) {}

  /** The aggregated message prefix, worded as client-go v0.32 (tools/record/events_cache.go). */
  static final String COMBINED_PREFIX = "(combined from similar events): ";

  private record AggregateRecord(Set<String> messages, Instant lastTimestamp) {}
  private record LogRecord(int count, String firstTimestamp, String name, String resourceVersion) {}

  private final Clock clock;
  private final Map<String, AggregateRecord> aggregates = lru(Params.EVENT_CACHE_SIZE);
  private final Map<String, LogRecord> observed = lru(Params.EVENT_CACHE_SIZE);
  private final Map<String, TokenBucket> spam = lru(Params.EVENT_CACHE_SIZE);

  public EventCorrelator(Clock clock) {
    this.clock = clock;
  }

  private static <K, V> Map<K, V> lru(int max) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > max;
      }
    };
  }

  /** Decides the fate of {@code event}; the returned event is a new object (the input is untouched). */
  public Result correlate(Event event) {
    Instant now = clock.instant();
    // 1. aggregate similar events
    String aggregateKey = aggregateKey(event);
    Event e = copy(event);
    String key = aggregateKey + "\u0000" + nz(event.message);
    AggregateRecord ar = aggregates.get(aggregateKey);
    if (ar == null || Duration.between(ar.lastTimestamp, now).compareTo(Params.EVENT_AGGREGATE_WINDOW) > 0) {
      ar = new AggregateRecord(new HashSet<>(), now);
    }
    ar.messages.add(nz(event.message));
    aggregates.put(aggregateKey, new AggregateRecord(ar.messages, now));
    if (ar.messages.size() >= Params.EVENT_AGGREGATE_MAX) {
      ar.messages.remove(ar.messages.iterator().next()); // keep the set bounded, as client-go's PopAny
      Event agg = new Event();
      agg.metadata.namespace = event.metadata.namespace;
      agg.metadata.name = EventBroadcaster.eventName(event.involvedObject, now);
      agg.involvedObject = event.involvedObject;
      agg.reason = event.reason;
      agg.type = event.type;
      agg.source = event.source;
      agg.reportingComponent = event.reportingComponent;
      agg.reportingInstance = event.reportingInstance;
      agg.message = COMBINED_PREFIX + event.message;
      agg.count = 1;
      agg.firstTimestamp = agg.lastTimestamp = EventBroadcaster.timestamp(now);
      e = agg;
      key = aggregateKey; // all combined events share one key, so they count up one Event
    }

    // 2. deduplicate against what was posted
    String patch = null;
    LogRecord last = observed.get(key);
    if (last != null) {
      e.count = last.count + 1;
      e.firstTimestamp = last.firstTimestamp;
      e.metadata.name = last.name;
      e.metadata.resourceVersion = last.resourceVersion;
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("count", e.count);
      p.put("lastTimestamp", e.lastTimestamp);
      p.put("message", e.message);
      patch = Json.toJson(p);
    }
    observed.put(key, new LogRecord(e.count == null ? 1 : e.count, e.firstTimestamp, e.metadata.name,
        e.metadata.resourceVersion));

    // 3. spam filter per source + object
    String spamKey = spamKey(event);
    TokenBucket bucket = spam.computeIfAbsent(spamKey,
        k -> new TokenBucket(Params.EVENT_SPAM_QPS, Params.EVENT_SPAM_BURST, clock));
    boolean skip = !bucket.tryAcquire();
    return new Result(e, patch, skip);
  }

  /**
   * Records the server's copy of a posted event (its name and resourceVersion), so the next repeat
   * patches that object (client-go UpdateState).
   */
  public void updateState(Event stored, String key) {
    LogRecord r = observed.get(key);
    if (r == null) return;
    observed.put(key, new LogRecord(stored.count == null ? r.count : stored.count, r.firstTimestamp,
        stored.metadata.name, stored.metadata.resourceVersion));
  }

  /** The dedup key of an event as the correlator will file it (for {@link #updateState}). */
  String dedupKey(Event posted) {
    String agg = aggregateKey(posted);
    return posted.message != null && posted.message.startsWith(COMBINED_PREFIX) ? agg : agg + "\u0000" + nz(posted.message);
  }

  private static String aggregateKey(Event e) {
    ObjectReference o = e.involvedObject == null ? new ObjectReference() : e.involvedObject;
    return String.join("\u0000", source(e), nz(o.kind), nz(o.namespace), nz(o.name), nz(o.uid), nz(o.apiVersion),
        nz(e.type), nz(e.reason), nz(e.reportingComponent), nz(e.reportingInstance));
  }

  private static String spamKey(Event e) {
    ObjectReference o = e.involvedObject == null ? new ObjectReference() : e.involvedObject;
    return String.join("\u0000", source(e), nz(o.kind), nz(o.namespace), nz(o.name), nz(o.uid), nz(o.apiVersion),
        nz(e.type));
  }

  private static String source(Event e) {
    return e.source == null ? "" : nz(e.source.get("component")) + "\u0000" + nz(e.source.get("host"));
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private static Event copy(Event e) {
    return Json.read(Json.toBytes(e), Event.class);
  }
}
