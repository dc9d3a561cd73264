package kubelab.scheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import kubelab.api.core.Node;
import kubelab.api.core.Pod;
import kubelab.api.meta.Condition;
import kubelab.scheduler.cache.SchedulerCache;
import kubelab.scheduler.config.Profile;
import kubelab.scheduler.config.SchedulerConfiguration;
import kubelab.scheduler.framework.ApiWriter;
import kubelab.scheduler.framework.ClusterEvent;
import kubelab.scheduler.framework.ClusterObjects;
import kubelab.scheduler.framework.CycleState;
import kubelab.scheduler.framework.FitError;
import kubelab.scheduler.framework.Framework;
import kubelab.scheduler.framework.FrameworkHandle;
import kubelab.scheduler.framework.Nominator;
import kubelab.scheduler.framework.Parallelizer;
import kubelab.scheduler.framework.PermitPlugin;
import kubelab.scheduler.framework.PluginFactory;
import kubelab.scheduler.framework.PodInfo;
import kubelab.scheduler.framework.PostFilterPlugin;
import kubelab.scheduler.framework.QueuedPodInfo;
import kubelab.scheduler.framework.Snapshot;
import kubelab.scheduler.framework.Status;
import kubelab.scheduler.framework.WaitingPods;
import kubelab.scheduler.plugins.PluginRegistry;
import kubelab.scheduler.queue.Backoff;
import kubelab.scheduler.queue.SchedulingQueue;
import kubelab.scheduler.util.ObjectCopies;

/**
 * kube-scheduler's core loop (schedule_one.go): pop a pod, find it a node, assume it, bind it in
 * the background, or report why it cannot run.
 *
 * <pre>
 * scheduleOne:
 *   1. pop the next pod from activeQ (blocks)
 *   2. snapshot the cache (only changed nodes are copied)
 *   3. PreFilter → Filter, in parallel over nodes, starting where the last cycle stopped and
 *      stopping once percentageOfNodesToScore feasible nodes are found (the nominated node first)
 *   4. no node: PostFilter (preemption), FailedScheduling event, PodScheduled=False condition,
 *      back to the queue                                                         → done
 *   5. PreScore → Score → NormalizeScore → weights; the highest total wins (random tie-break)
 *   6. assume the pod on that node in the cache; Reserve; Permit
 * binding cycle (another thread, so step 1 of the next pod can start):
 *   7. wait for Permit, PreBind, Bind (POST pods/NAME/binding), "Scheduled" event, PostBind;
 *      on failure: Unreserve, forget the assumed pod, back to the queue
 * </pre>
 *
 * <p>Informer event handlers ({@link #onPodAdd} ...) keep the cache and queue current; the
 * in-process benchmark and tests call them directly through {@code InMemoryCluster}, the
 * informer-backed runner from the API server's watch.
 *
 * <p>Threading: {@link #scheduleOne} runs on one thread at a time (the scheduling thread); the
 * handlers may be called from any thread; binding runs on the binder executor (or inline when
 * built with {@code bindInline}).
 */
public final class Scheduler implements AutoCloseable {
  private final SchedulerConfiguration config;
  private final Clock clock;
  private final ApiWriter api;
  private final SchedulerCache cache = new SchedulerCache();
  private final Snapshot snapshot = new Snapshot();
  private final Nominator nominator = new Nominator();
  private final WaitingPods waitingPods = new WaitingPods();
  private final Parallelizer parallelizer;
  private final Map<String, Framework> frameworks = new HashMap<>();
  private final SchedulingQueue queue;
  private final ExecutorService binder;
  private final SchedulingAlgorithm algorithm;
  private final SchedulerListener listener;
  private final AtomicInteger bindingsInFlight = new AtomicInteger();
  private final FrameworkHandle handle;
  private final Map<String, PluginFactory> registry;
  private final ClusterObjects objects;
  private ScheduledExecutorService ticker;
  private Thread loop;
  private volatile boolean stopped;

  /** Builder: configuration, plugins, the API writer, the clock and options. */
  public static final class Builder {
    private SchedulerConfiguration config = SchedulerConfiguration.defaults();
    private Map<String, PluginFactory> registry = PluginRegistry.inTree();
    private ApiWriter api;
    private ClusterObjects objects = ClusterObjects.NONE;
    private Clock clock = Clock.systemUTC();
    private int binderThreads = 4;
    private boolean bindInline;
    private long seed = 1;
    private SchedulerListener listener = SchedulerListener.NONE;

    public Builder config(SchedulerConfiguration c) { this.config = c; return this; }
    public Builder registry(Map<String, PluginFactory> r) { this.registry = r; return this; }
    public Builder api(ApiWriter a) { this.api = a; return this; }
    public Builder objects(ClusterObjects o) { this.objects = o; return this; }
    public Builder clock(Clock c) { this.clock = c; return this; }
    /** Threads sending bindings concurrently (each bind is an API round trip). */
    public Builder binderThreads(int n) { this.binderThreads = n; return this; }
    /** Bind on the scheduling thread (in-memory API: binding is instant). */
    public Builder bindInline(boolean b) { this.bindInline = b; return this; }
    /** Seed of the tie-break between equally scored nodes. */
    public Builder seed(long s) { this.seed = s; return this; }
    public Builder listener(SchedulerListener l) { this.listener = l; return this; }

    public Scheduler build() {
      if (api == null) throw new IllegalStateException("Scheduler.Builder: api (the ApiWriter) is required");
      return new Scheduler(this);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  private Scheduler(Builder b) {
    this.config = b.config;
    this.clock = b.clock;
    this.api = b.api;
    this.listener = b.listener;
    this.registry = b.registry;
    this.objects = b.objects;
    int threads = Math.max(1, Math.min(config.parallelism, Runtime.getRuntime().availableProcessors()));
    this.parallelizer = new Parallelizer(threads);
    this.algorithm = new SchedulingAlgorithm(cache, snapshot, nominator, parallelizer, config.percentageOfNodesToScore,
        new SplittableRandom(b.seed));
    this.handle = new FrameworkHandle(snapshot, b.objects, api, clock, nominator, parallelizer, waitingPods);
    Framework first = null;
    for (Profile p : config.profiles) {
      Framework f = new Framework(p, b.registry, handle.withSnapshot(snapshot));
      frameworks.put(p.schedulerName, f);
      if (first == null) first = f;
    }
    this.queue = new SchedulingQueue(clock, new Backoff(config.podInitialBackoff, config.podMaxBackoff),
        this::frameworkFor, first, nominator);
    this.binder = b.bindInline ? null : Executors.newFixedThreadPool(Math.max(1, b.binderThreads), r -> {
      Thread t = new Thread(r, "kubelab-scheduler-binder");
      t.setDaemon(true);
      return t;
    });
  }

  /** The profile a pod asks for, or null when no profile has its schedulerName. */
  public Framework frameworkFor(Pod pod) {
    String name = pod.spec.schedulerName == null || pod.spec.schedulerName.isEmpty()
        ? Params.DEFAULT_SCHEDULER_NAME : pod.spec.schedulerName;
    return frameworks.get(name);
  }

  /** Whether this scheduler handles the pod (its schedulerName names one of the profiles). */
  public boolean responsibleFor(Pod pod) {
    return frameworkFor(pod) != null;
  }

  // ================================================================== event handlers

  private static boolean assigned(Pod p) {
    return p.spec.nodeName != null && !p.spec.nodeName.isEmpty();
  }

  private static boolean terminal(Pod p) {
    return p.status != null && ("Succeeded".equals(p.status.phase) || "Failed".equals(p.status.phase));
  }

  private static String key(Pod p) {
    return (p.metadata.namespace == null ? "default" : p.metadata.namespace) + "/" + p.metadata.name;
  }

  /** Informer: a pod was added. */
  public void onPodAdd(Pod pod) {
    if (assigned(pod)) {
      if (terminal(pod)) return;
      cache.addPod(new PodInfo(pod));
      queue.moveAllToActiveOrBackoffQueue(ClusterEvent.ASSIGNED_POD_ADD);
    } else if (responsibleFor(pod) && pod.metadata.deletionTimestamp == null) {
      queue.add(pod);
    }
  }

  /** Informer: a pod changed. */
  public void onPodUpdate(Pod oldPod, Pod newPod) {
    String k = key(newPod);
    if (assigned(newPod)) {
      if (oldPod != null && !assigned(oldPod)) queue.delete(k); // bound: leaves the queue
      if (terminal(newPod)) {
        onPodDelete(newPod);
        return;
      }
      boolean had = cache.hasPod(k) && !cache.isAssumedPod(k);
      if (had) cache.updatePod(new PodInfo(newPod));
      else cache.addPod(new PodInfo(newPod));
      if (!had) queue.moveAllToActiveOrBackoffQueue(ClusterEvent.ASSIGNED_POD_ADD);
      else if (oldPod != null && !java.util.Objects.equals(oldPod.metadata.labels, newPod.metadata.labels)) {
        queue.moveAllToActiveOrBackoffQueue(new ClusterEvent(ClusterEvent.Resource.ASSIGNED_POD, ClusterEvent.UPDATE_POD_LABEL));
      }
      return;
    }
    if (!responsibleFor(newPod)) return;
    if (cache.isAssumedPod(k)) return; // being bound; the bound version will arrive
    if (newPod.metadata.deletionTimestamp != null) {
      queue.delete(k);
      return;
    }
    queue.update(oldPod, newPod);
  }

  /** Informer: a pod was deleted. */
  public void onPodDelete(Pod pod) {
    String k = key(pod);
    if (assigned(pod) || cache.hasPod(k)) {
      cache.removePod(k);
      nominator.remove(k);
      queue.moveAllToActiveOrBackoffQueue(ClusterEvent.ASSIGNED_POD_DELETE);
    }
    queue.delete(k);
    if (waitingPods.isWaiting(k)) waitingPods.reject(k, "", "pod deleted");
  }

  public void onNodeAdd(Node node) {
    cache.addNode(node);
    queue.moveAllToActiveOrBackoffQueue(ClusterEvent.NODE_ADD);
  }

  public void onNodeUpdate(Node oldNode, Node newNode) {
    cache.updateNode(newNode);
    int actions = NodeChanges.actions(oldNode, newNode);
    if (actions != 0) queue.moveAllToActiveOrBackoffQueue(new ClusterEvent(ClusterEvent.Resource.NODE, actions));
  }

  public void onNodeDelete(Node node) {
    cache.removeNode(node.metadata.name);
  }

  /** A PVC, PV, StorageClass... changed (VolumeBinding waits for these). */
  public void onClusterEvent(ClusterEvent e) {
    queue.moveAllToActiveOrBackoffQueue(e);
  }

  // ================================================================== running

  /** Starts the scheduling loop and the queue flushers on background threads. */
  public synchronized void start() {
    if (loop != null) return;
    ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "kubelab-scheduler-queue-flush");
      t.setDaemon(true);
      return t;
    });
    long period = Params.BACKOFF_FLUSH_PERIOD.toMillis();
    ticker.scheduleAtFixedRate(queue::flushBackoffQCompleted, period, period, TimeUnit.MILLISECONDS);
    long u = Params.UNSCHEDULABLE_FLUSH_PERIOD.toMillis();
    ticker.scheduleAtFixedRate(queue::flushUnschedulablePodsLeftover, u, u, TimeUnit.MILLISECONDS);
    loop = new Thread(() -> {
      while (!stopped) {
        try {
          scheduleOne(null);
        } catch (InterruptedException e) {
          return;
        } catch (RuntimeException e) {
          // A bug in one cycle must not stop the scheduler; the pod was requeued by the cycle.
        }
      }
    }, "kubelab-scheduler");
    loop.setDaemon(true);
    loop.start();
  }

  /**
   * Runs one scheduling cycle: waits up to {@code timeout} (null: forever) for a pod.
   *
   * @return false if no pod came within the timeout (or the queue was closed)
   */
  public boolean scheduleOne(Duration timeout) throws InterruptedException {
    QueuedPodInfo q = queue.pop(timeout);
    if (q == null) return false;
    long start = System.nanoTime();
    long cycle = queue.schedulingCycle();
    PodInfo pi = q.podInfo();
    Pod pod = pi.pod();
    Framework fwk = frameworkFor(pod);
    if (fwk == null || pod.metadata.deletionTimestamp != null || cache.hasPod(pi.key())) {
      queue.done(pi.key());
      return true;
    }
    CycleState state = new CycleState(pi);
    ScheduleResult result;
    try {
      result = schedulePod(fwk, state, pi);
    } catch (FitError fe) {
      String nominated = null;
      if (fwk.hasPostFilterPlugins()) {
        PostFilterPlugin.Result r = fwk.runPostFilterPlugins(state, pod, fe.nodeToStatus());
        if (!r.status().isSuccess()) fe.setPostFilterMsg(r.status().message());
        nominated = r.nominatedNodeName();
      }
      q.unschedulablePlugins.clear();
      q.unschedulablePlugins.addAll(fe.unschedulablePlugins());
      handleFailure(fwk, q, cycle, Status.Code.UNSCHEDULABLE, fe.message(), nominated);
      return true;
    } catch (RuntimeException e) {
      q.unschedulablePlugins.clear();
      handleFailure(fwk, q, cycle, Status.Code.ERROR, String.valueOf(e.getMessage()), null);
      return true;
    }

    // Assume, Reserve, Permit.
    String node = result.node();
    PodInfo assumedInfo = pi.withPod(ObjectCopies.withNodeName(pod, node));
    Pod assumed = assumedInfo.pod();
    try {
      cache.assumePod(assumedInfo);
    } catch (IllegalStateException e) {
      handleFailure(fwk, q, cycle, Status.Code.ERROR, e.getMessage(), null);
      return true;
    }
    nominator.remove(pi.key());
    Status s = fwk.runReservePluginsReserve(state, assumed, node);
    if (!s.isSuccess()) {
      fwk.runReservePluginsUnreserve(state, assumed, node);
      cache.forgetPod(pi.key());
      rejectedBy(q, s);
      handleFailure(fwk, q, cycle, s.code(), s.message(), null);
      return true;
    }
    PermitPlugin.Result permit = fwk.runPermitPlugins(state, assumed, node, pi.key());
    if (!permit.status().isSuccess() && permit.status().code() != Status.Code.WAIT) {
      fwk.runReservePluginsUnreserve(state, assumed, node);
      cache.forgetPod(pi.key());
      rejectedBy(q, permit.status());
      handleFailure(fwk, q, cycle, permit.status().code(), permit.status().message(), null);
      return true;
    }
    long attemptNanos = System.nanoTime() - start;
    queue.done(pi.key());

    Runnable binding = () -> bindingCycle(fwk, state, q, cycle, assumed, node, permit, attemptNanos);
    if (binder == null) {
      binding.run();
    } else {
      bindingsInFlight.incrementAndGet();
      binder.execute(() -> {
        try {
          binding.run();
        } finally {
          bindingsInFlight.decrementAndGet();
        }
      });
    }
    return true;
  }

  private static void rejectedBy(QueuedPodInfo q, Status s) {
    q.unschedulablePlugins.clear();
    if (s.plugin() != null && s.isRejected()) q.unschedulablePlugins.add(s.plugin());
  }

  private void bindingCycle(Framework fwk, CycleState state, QueuedPodInfo q, long cycle, Pod assumed,
      String node, PermitPlugin.Result permit, long attemptNanos) {
    String k = q.key();
    Status s = Status.SUCCESS;
    if (permit.status().code() == Status.Code.WAIT) s = waitingPods.await(k, permit.timeout());
    if (s.isSuccess()) s = fwk.runPreBindPlugins(state, assumed, node);
    if (s.isSuccess()) s = fwk.runBindPlugins(state, assumed, node);
    if (!s.isSuccess()) {
      fwk.runReservePluginsUnreserve(state, assumed, node);
      cache.forgetPod(k);
      // Room opened up for other pods (the assumed one is gone), but not for this one.
      queue.moveAllToActiveOrBackoffQueue(ClusterEvent.ASSIGNED_POD_DELETE);
      rejectedBy(q, s);
      handleFailure(fwk, q, cycle, s.isRejected() ? s.code() : Status.Code.ERROR, s.message(), null);
      return;
    }
    cache.finishBinding(k);
    api.event(assumed, "Normal", SchedulerReasons.EVENT_SCHEDULED, "Binding",
        String.format(SchedulerReasons.SCHEDULED_FORMAT, q.podInfo().namespace(), q.podInfo().name(), node));
    fwk.runPostBindPlugins(state, assumed, node);
    long e2e = java.time.Duration.between(q.initialAttemptTimestamp, clock.instant()).toNanos();
    listener.bound(q.podInfo(), node, attemptNanos, e2e);
  }

  /**
   * handleSchedulingFailure: requeue, then tell the user: a FailedScheduling event and the
   * PodScheduled=False condition (reason Unschedulable, or SchedulerError for internal errors)
   * with the same message, and the nomination if preemption made one.
   */
  private void handleFailure(Framework fwk, QueuedPodInfo q, long cycle, Status.Code code, String message, String nominated) {
    PodInfo pi = q.podInfo();
    if (nominated != null) {
      if (nominated.isEmpty()) nominator.remove(pi.key());
      else nominator.add(pi, nominated);
    }
    queue.addUnschedulableIfNotPresent(q, cycle);
    String msg = truncate(message);
    boolean internal = code == Status.Code.ERROR;
    api.event(pi.pod(), "Warning", SchedulerReasons.EVENT_FAILED_SCHEDULING, "Scheduling", msg);
    Condition c = new Condition(SchedulerReasons.CONDITION_POD_SCHEDULED, "False",
        internal ? SchedulerReasons.REASON_SCHEDULER_ERROR : SchedulerReasons.REASON_UNSCHEDULABLE, msg);
    try {
      api.updatePodStatus(pi.pod(), c, nominated);
    } catch (RuntimeException ignored) {
      // The pod may be gone; the next attempt will try again.
    }
    listener.failed(pi, msg);
  }

  private static String truncate(String s) {
    if (s == null) return "";
    return s.length() <= Params.MAX_MESSAGE_LENGTH ? s : s.substring(0, Params.MAX_MESSAGE_LENGTH - 3) + "...";
  }

  // ================================================================== the algorithm

  /** Finds the node for one pod: see {@link SchedulingAlgorithm#schedulePod}. */
  ScheduleResult schedulePod(Framework fwk, CycleState state, PodInfo pi) {
    return algorithm.schedulePod(fwk, state, pi);
  }

  /** See {@link SchedulingAlgorithm#numFeasibleNodesToFind}. */
  public static int numFeasibleNodesToFind(Integer profilePercentage, int globalPercentage, int numAllNodes) {
    return SchedulingAlgorithm.numFeasibleNodesToFind(profilePercentage, globalPercentage, numAllNodes);
  }

  // ================================================================== introspection

  /**
   * Explains where this scheduler would put {@code pod} now, and why, from its own cache (the
   * REPL's {@code explain scheduling}); nothing is written. Safe from any thread.
   */
  public kubelab.scheduler.explain.Explanation explain(Pod pod) {
    return new kubelab.scheduler.explain.Explainer(config, registry, objects).explain(pod, cache.snapshot());
  }

  public SchedulingQueue queue() {
    return queue;
  }

  public SchedulerCache cache() {
    return cache;
  }

  public Nominator nominator() {
    return nominator;
  }

  public Map<String, Framework> frameworks() {
    return java.util.Collections.unmodifiableMap(frameworks);
  }

  public SchedulerConfiguration configuration() {
    return config;
  }

  public FrameworkHandle handle() {
    return handle;
  }

  public Clock clock() {
    return clock;
  }

  /** Bindings sent to the binder threads and not yet finished. */
  public int bindingsInFlight() {
    return bindingsInFlight.get();
  }

  /** Waits until no binding is in flight (tests, benchmark). */
  public boolean awaitBindings(Duration timeout) throws InterruptedException {
    Instant end = Instant.now().plus(timeout);
    while (bindingsInFlight.get() > 0) {
      if (Instant.now().isAfter(end)) return false;
      Thread.sleep(1);
    }
    return true;
  }

  @Override
  public void close() {
    stopped = true;
    queue.close();
    if (loop != null) loop.interrupt();
    if (ticker != null) ticker.shutdownNow();
    if (binder != null) binder.shutdownNow();
    parallelizer.close();
    if (loop != null) {
      try {
        loop.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
