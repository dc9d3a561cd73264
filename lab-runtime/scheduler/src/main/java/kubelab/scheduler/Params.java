package kubelab.scheduler;

import java.time.Duration;

/**
 * The scheduler's tunables, one per line (xv6's param.h). Values follow kube-scheduler v1.32
 * unless a comment says otherwise; a profile file may override the ones marked "configurable".
 */
public final class Params {
  private Params() {}

  /** The scheduler name a pod gets when it names none (the API server defaults it). */
  public static final String DEFAULT_SCHEDULER_NAME = "default-scheduler";

  /** Highest score a Score plugin may return after NormalizeScore (framework.MaxNodeScore). */
  public static final long MAX_NODE_SCORE = 100;
  /** Lowest score (framework.MinNodeScore). */
  public static final long MIN_NODE_SCORE = 0;
  /** Highest total a node may reach: weights are capped so the sum of weight × 100 fits. */
  public static final long MAX_TOTAL_SCORE = Long.MAX_VALUE / 4;

  /** Below this many nodes every node is evaluated (minFeasibleNodesToFind). */
  public static final int MIN_FEASIBLE_NODES_TO_FIND = 100;
  /** Floor of the adaptive percentage (minFeasibleNodesPercentageToFind). */
  public static final int MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;
  /** Adaptive percentage of nodes to score: 50 - nodes/125 (configurable; 0 means adaptive). */
  public static final int DEFAULT_PERCENTAGE_OF_NODES_TO_SCORE = 0;
  /** Filter/score parallelism (configurable). kube-scheduler runs 16 goroutines; KubeLab runs at most one thread per core. */
  public static final int DEFAULT_PARALLELISM = 16;

  /** Back-off of a pod that failed a cycle: starts here and doubles per attempt (podInitialBackoffSeconds). */
  public static final Duration POD_INITIAL_BACKOFF = Duration.ofSeconds(1);
  /** ... up to this cap (podMaxBackoffSeconds). */
  public static final Duration POD_MAX_BACKOFF = Duration.ofSeconds(10);
  /** An unschedulable pod is retried after this long even without a matching cluster event. */
  public static final Duration POD_MAX_IN_UNSCHEDULABLE_PODS = Duration.ofMinutes(5);
  /** How often the back-off queue is flushed into activeQ. */
  public static final Duration BACKOFF_FLUSH_PERIOD = Duration.ofSeconds(1);
  /** How often long-unschedulable pods are flushed. */
  public static final Duration UNSCHEDULABLE_FLUSH_PERIOD = Duration.ofSeconds(30);

  /** A container without a CPU request counts as this much when scoring (DefaultMilliCPURequest). */
  public static final long DEFAULT_MILLI_CPU_REQUEST = 100;
  /** A container without a memory request counts as this much when scoring (DefaultMemoryRequest, 200 MiB). */
  public static final long DEFAULT_MEMORY_REQUEST = 200L * 1024 * 1024;

  /** Preemption dry-runs at least this share of the potential nodes (minCandidateNodesPercentage). */
  public static final int MIN_CANDIDATE_NODES_PERCENTAGE = 10;
  /** ... and at least this many (minCandidateNodesAbsolute). */
  public static final int MIN_CANDIDATE_NODES_ABSOLUTE = 100;
  /** Grace period of a victim whose pod names none (the API default). */
  public static final long DEFAULT_TERMINATION_GRACE_SECONDS = 30;

  /** Weight of an existing pod's required affinity term that the incoming pod matches (hardPodAffinityWeight). */
  public static final int DEFAULT_HARD_POD_AFFINITY_WEIGHT = 1;

  /** ImageLocality: below this many bytes an image earns nothing (minThreshold, 23 MiB). */
  public static final long IMAGE_MIN_THRESHOLD = 23L * 1024 * 1024;
  /** ImageLocality: per container, images above this many bytes earn no more (maxContainerThreshold, 1000 MiB). */
  public static final long IMAGE_MAX_CONTAINER_THRESHOLD = 1000L * 1024 * 1024;

  /** Longest Permit wait a plugin may ask for (maxTimeout). */
  public static final Duration MAX_PERMIT_TIMEOUT = Duration.ofMinutes(15);

  /** Leader election (kube-scheduler defaults): lease duration, renew deadline, retry period. */
  public static final Duration LEASE_DURATION = Duration.ofSeconds(15);
  public static final Duration RENEW_DEADLINE = Duration.ofSeconds(10);
  public static final Duration RETRY_PERIOD = Duration.ofSeconds(2);
  /** The Lease the scheduler instances compete for (kube-system/kube-scheduler). */
  public static final String LEASE_NAMESPACE = "kube-system";
  public static final String LEASE_NAME = "kube-scheduler";

  /** Events and conditions cut messages at this length (the event recorder's limit is 1024 bytes). */
  public static final int MAX_MESSAGE_LENGTH = 1024;
}
