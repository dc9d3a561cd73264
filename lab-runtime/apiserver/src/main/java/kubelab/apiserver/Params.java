package kubelab.apiserver;

/**
 * Tunables of the API server, one per line (like xv6's param.h). Values that mirror a
 * kube-apiserver default name the flag they come from.
 */
public final class Params {
  private Params() {}

  /** Largest request body accepted: 3 MiB, as kube-apiserver (then 413 RequestEntityTooLarge). */
  public static final long MAX_REQUEST_BODY_BYTES = 3 * 1024 * 1024;
  /** How long a request waits for the store before 504 Timeout (kube-apiserver's --request-timeout is 60s). */
  public static final long STORE_TIMEOUT_MS = 30_000;
  /** Smallest batch a paginated list reads from the store at once. */
  public static final long LIST_BATCH_MIN = 100;
  /** kubectl's default page size, for reference: kubectl get asks for limit=500. */
  public static final long KUBECTL_CHUNK_SIZE = 500;
  /** Watches without timeoutSeconds end after a random time in [MIN, 2*MIN) (--min-request-timeout=1800). */
  public static final long WATCH_MIN_TIMEOUT_SECONDS = 1800;
  /** How often a watch with allowWatchBookmarks=true gets a BOOKMARK event. */
  public static final long BOOKMARK_INTERVAL_MS = 10_000;
  /** How often a silent watch checks whether its client went away. */
  public static final long WATCH_POLL_MS = 1_000;
  /** Events expire from the store after this long (--event-ttl=1h). */
  public static final long EVENT_TTL_SECONDS = 3600;
  /** One store lease is reused for events written within this window (leaseReuseDurationSeconds). */
  public static final long EVENT_LEASE_REUSE_SECONDS = 60;
  /** Jetty worker threads: each watch holds one while it streams. */
  public static final int HTTP_MAX_THREADS = 400;
  /** Idle connections are closed after this long (watches ignore it while streaming). */
  public static final long HTTP_IDLE_TIMEOUT_MS = 120_000;
  /** Default grace period of a pod without terminationGracePeriodSeconds. */
  public static final long DEFAULT_TERMINATION_GRACE_SECONDS = 30;
  /** Tolerations for not-ready/unreachable added to every pod (DefaultTolerationSeconds admission). */
  public static final long DEFAULT_TOLERATION_SECONDS = 300;
  /** The Service IP range (--service-cluster-ip-range); its first address is the kubernetes Service. */
  public static final String SERVICE_CIDR = "10.96.0.0/12";
  /** The NodePort range (--service-node-port-range). */
  public static final int NODE_PORT_MIN = 30000;
  public static final int NODE_PORT_MAX = 32767;
  /** The Kubernetes version this API server reports and follows (kubectl 1.32 on the lab machines). */
  public static final String KUBERNETES_VERSION = "v1.32.0";
  /** Characters of the random suffix of generateName (apiserver's names.SimpleNameGenerator). */
  public static final String NAME_SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  public static final int NAME_SUFFIX_LENGTH = 5;
}
