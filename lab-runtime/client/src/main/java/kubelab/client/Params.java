package kubelab.client;

import java.time.Duration;

/**
 * Tunables of the client, one per line, like xv6's {@code param.h}. The defaults follow client-go
 * (k8s.io/client-go v0.32, the version kubectl 1.32 is built with) unless a comment says otherwise.
 * Builders take these as defaults; nothing reads them behind a builder's back.
 */
public final class Params {
  private Params() {}

  // ---- REST client -------------------------------------------------------------------------
  /** Requests per second of the client-side limiter. client-go's rest.Config default is 5, which
   * real components override: kube-scheduler and kube-controller-manager use 50/100. */
  public static final double DEFAULT_QPS = 50;
  /** Requests that may go at once before the limiter starts spacing them. */
  public static final int DEFAULT_BURST = 100;
  /** TCP connect timeout. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  /** Timeout of a non-watch request, until the response headers arrive (kubectl's --request-timeout is 0: none). */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  /** User-Agent header, as client-go sends "binary/version (os/arch) kubernetes/commit". */
  public static final String USER_AGENT = "kubelab-client/0.1 (java)";
  /** Times a request answered 429 TooManyRequests is retried after its Retry-After (client-go maxRetries). */
  public static final int MAX_RETRIES_429 = 10;
  /** Page size of the reflector's paged lists (client-go pager's defaultPageSize). */
  public static final int LIST_PAGE_SIZE = 500;

  // ---- Reflector -------------------------------------------------------------------------------
  /** A watch asks the server to end it after a random time in [this, 2 × this] (client-go minWatchTimeout). */
  public static final Duration MIN_WATCH_TIMEOUT = Duration.ofMinutes(5);
  /** A watch that ends this fast without events counts as failed (client-go's "very short watch"). */
  public static final Duration SHORT_WATCH = Duration.ofSeconds(1);
  /** First back-off after a failed list or watch (client-go's reflector backoff manager). */
  public static final Duration REFLECTOR_BACKOFF_INITIAL = Duration.ofMillis(800);
  /** Back-off cap. */
  public static final Duration REFLECTOR_BACKOFF_MAX = Duration.ofSeconds(30);
  /** A reflector that has not backed off for this long starts again from the initial back-off. */
  public static final Duration REFLECTOR_BACKOFF_RESET = Duration.ofMinutes(2);
  /** Back-off growth factor. */
  public static final double REFLECTOR_BACKOFF_FACTOR = 2.0;
  /** Back-off jitter: a wait d becomes d + random × jitter × d. */
  public static final double REFLECTOR_BACKOFF_JITTER = 1.0;

  // ---- Informer --------------------------------------------------------------------------------
  /** Shortest resync period a handler may ask for (client-go minimumResyncPeriod). */
  public static final Duration MIN_RESYNC_PERIOD = Duration.ofSeconds(1);
  /** How often (wall time) the informer's loop looks at the clock to see whether a resync is due. */
  public static final Duration RESYNC_CHECK_INTERVAL = Duration.ofSeconds(1);

  // ---- Work queue ------------------------------------------------------------------------------
  /** Per-item back-off base of the default controller rate limiter (client-go: 5 ms). */
  public static final Duration ITEM_BACKOFF_BASE = Duration.ofMillis(5);
  /** Per-item back-off cap (client-go: 1000 s). */
  public static final Duration ITEM_BACKOFF_MAX = Duration.ofSeconds(1000);
  /** Overall token bucket of the default controller rate limiter: 10 qps ... */
  public static final double QUEUE_BUCKET_QPS = 10;
  /** ... with a burst of 100 (client-go DefaultControllerRateLimiter). */
  public static final int QUEUE_BUCKET_BURST = 100;
  /** Longest a blocked get() sleeps before re-reading the clock for delayed items (client-go maxWait). */
  public static final Duration QUEUE_MAX_WAIT = Duration.ofSeconds(10);

  // ---- Leader election -------------------------------------------------------------------------
  /** How long a non-leader waits after the last observed renewal before taking over. */
  public static final Duration LEASE_DURATION = Duration.ofSeconds(15);
  /** How long the leader keeps retrying a renewal before it gives up leading. */
  public static final Duration RENEW_DEADLINE = Duration.ofSeconds(10);
  /** Time between attempts to acquire or renew. */
  public static final Duration RETRY_PERIOD = Duration.ofSeconds(2);
  /** Acquire attempts wait retryPeriod × (1 + random × this) (client-go JitterFactor). */
  public static final double LEADER_JITTER_FACTOR = 1.2;

  // ---- Events (client-go tools/record) ---------------------------------------------------------
  /** Events waiting to be posted; beyond this, new ones are dropped (client-go maxQueuedEvents). */
  public static final int EVENT_QUEUE_SIZE = 1000;
  /** Entries of the correlator's LRU caches (client-go maxLruCacheEntries). */
  public static final int EVENT_CACHE_SIZE = 4096;
  /** Similar events (same object and reason, different messages) before they are aggregated. */
  public static final int EVENT_AGGREGATE_MAX = 10;
  /** Window in which similar events count towards aggregation. */
  public static final Duration EVENT_AGGREGATE_WINDOW = Duration.ofMinutes(10);
  /** Spam filter: events per source and object allowed at once ... */
  public static final int EVENT_SPAM_BURST = 25;
  /** ... refilled at one token every 5 minutes. */
  public static final double EVENT_SPAM_QPS = 1.0 / 300;
  /** Attempts to post one event before dropping it. */
  public static final int EVENT_POST_ATTEMPTS = 12;
  /** Wait between attempts (client-go: 10 s with jitter; the first retry is randomised). */
  public static final Duration EVENT_POST_RETRY = Duration.ofSeconds(10);
}
