package kubelab.scheduler.server;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import kubelab.api.core.Namespace;
import kubelab.api.core.Node;
import kubelab.api.core.PersistentVolume;
import kubelab.api.core.PersistentVolumeClaim;
import kubelab.api.core.Pod;
import kubelab.api.policy.PodDisruptionBudget;
import kubelab.api.storage.StorageClass;
import kubelab.client.KubeClient;
import kubelab.client.ResourceType;
import kubelab.client.events.EventBroadcaster;
import kubelab.client.events.EventSink;
import kubelab.client.informer.ResourceEventHandler;
import kubelab.client.informer.SharedIndexInformer;
import kubelab.client.informer.SharedInformerFactory;
import kubelab.client.leaderelection.LeaderElector;
import kubelab.client.leaderelection.LeaseLock;
import kubelab.scheduler.Params;
import kubelab.scheduler.Scheduler;
import kubelab.scheduler.SchedulerListener;
import kubelab.scheduler.config.SchedulerConfiguration;
import kubelab.scheduler.framework.ClusterEvent;

/**
 * One kube-scheduler process against an API server: informers feed the cache and the queue
 * (the seeds' "informer path"), the scheduling loop runs while this instance holds the
 * {@code kube-system/kube-scheduler} Lease, and every write goes through the API.
 *
 * <pre>
 *   start():  1. informers for pods, nodes, PDBs, namespaces (+ PVCs, PVs, StorageClasses if served)
 *             2. wait for their caches to sync (the standby keeps its cache warm too)
 *             3. campaign for the Lease; on winning, start the scheduling loop
 *   losing the Lease: stop scheduling at once (kube-scheduler exits; a new server may campaign again)
 *   close():  release the Lease (a standby takes over without waiting 15 s), stop everything
 * </pre>
 * Two servers with different identities on one cluster give the seeds' "controller-manager and
 * scheduler elect a leader by a lock in the API"; killing the leader hands over. Thread-safe.
 */
public final class SchedulerServer implements AutoCloseable {
  private static final ResourceType<PersistentVolumeClaim> PVCS =
      ResourceType.of("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true, PersistentVolumeClaim.class);
  private static final ResourceType<PersistentVolume> PVS =
      ResourceType.of("", "v1", "persistentvolumes", "PersistentVolume", false, PersistentVolume.class);
  private static final ResourceType<StorageClass> STORAGE_CLASSES =
      ResourceType.of("storage.k8s.io", "v1", "storageclasses", "StorageClass", false, StorageClass.class);

  private final KubeClient client;
  private final String identity;
  private final Clock clock;
  private final SharedInformerFactory factory;
  private final EventBroadcaster broadcaster;
  private final Scheduler scheduler;
  private final LeaderElector elector;
  private Thread electionThread;
  private volatile boolean leading;
  private volatile boolean closed;
  private volatile long schedulingStartedNanos;

  /** Options; defaults are kube-scheduler's. */
  public static final class Builder {
    private final KubeClient client;
    private SchedulerConfiguration config = SchedulerConfiguration.defaults();
    private String identity;
    private Clock clock = Clock.systemUTC();
    private boolean leaderElection = true;
    private Duration leaseDuration = Params.LEASE_DURATION;
    private Duration renewDeadline = Params.RENEW_DEADLINE;
    private Duration retryPeriod = Params.RETRY_PERIOD;
    private int binderThreads = 16;
    private SchedulerListener listener = SchedulerListener.NONE;

    Builder(KubeClient client) {
      this.client = client;
    }

    public Builder config(SchedulerConfiguration c) { this.config = c; return this; }
    /** The holder identity in the Lease (default: hostname_uuid, as kube-scheduler). */
    public Builder identity(String id) { this.identity = id; return this; }
    public Builder clock(Clock c) { this.clock = c; return this; }
    /** Without leader election the server schedules as soon as its caches are synced. */
    public Builder leaderElection(boolean on) { this.leaderElection = on; return this; }
    public Builder leaseTimings(Duration lease, Duration renew, Duration retry) {
      this.leaseDuration = lease;
      this.renewDeadline = renew;
      this.retryPeriod = retry;
      return this;
    }
    /** Concurrent binding requests (kube-scheduler binds in one goroutine per pod). */
    public Builder binderThreads(int n) { this.binderThreads = n; return this; }
    public Builder listener(SchedulerListener l) { this.listener = l; return this; }

    public SchedulerServer build() {
      return new SchedulerServer(this);
    }
  }

  public static Builder builder(KubeClient client) {
    return new Builder(client);
  }

  private SchedulerServer(Builder b) {
    this.client = b.client;
    this.clock = b.clock;
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "localhost";
    }
    this.identity = b.identity != null ? b.identity : host + "_" + UUID.randomUUID();
    this.factory = new SharedInformerFactory(client, Duration.ZERO, null, clock);
    this.broadcaster = new EventBroadcaster(EventSink.of(client), clock);
    // Optional informers: only for resources this server serves and this identity may list.
    SharedIndexInformer<PersistentVolumeClaim> pvcs = canList(PVCS) ? factory.informerFor(PVCS) : null;
    SharedIndexInformer<PersistentVolume> pvs = canList(PVS) ? factory.informerFor(PVS) : null;
    SharedIndexInformer<StorageClass> scs = canList(STORAGE_CLASSES) ? factory.informerFor(STORAGE_CLASSES) : null;
    SharedIndexInformer<PodDisruptionBudget> pdbs = canList(ResourceType.POD_DISRUPTION_BUDGETS) ? factory.podDisruptionBudgets() : null;
    SharedIndexInformer<Namespace> nss = factory.namespaces();
    InformerObjects objects = new InformerObjects(pvcs, pvs, scs, pdbs, nss);
    ClientApiWriter api = new ClientApiWriter(client, broadcaster.newRecorder(Params.DEFAULT_SCHEDULER_NAME, identity), clock);
    this.scheduler = Scheduler.builder().config(b.config).api(api).objects(objects).clock(clock)
        .binderThreads(b.binderThreads).listener(b.listener).build();

    factory.pods().addEventHandler(new ResourceEventHandler<Pod>() {
      @Override public void onAdd(Pod p, boolean initial) { scheduler.onPodAdd(p); }
      @Override public void onUpdate(Pod o, Pod n) { scheduler.onPodUpdate(o, n); }
      @Override public void onDelete(Pod p, boolean unknown) { scheduler.onPodDelete(p); }
    });
    factory.nodes().addEventHandler(new ResourceEventHandler<Node>() {
      @Override public void onAdd(Node n, boolean initial) { scheduler.onNodeAdd(n); }
      @Override public void onUpdate(Node o, Node n) { scheduler.onNodeUpdate(o, n); }
      @Override public void onDelete(Node n, boolean unknown) { scheduler.onNodeDelete(n); }
    });
    if (pvcs != null) pvcs.addEventHandler(events(ClusterEvent.Resource.PERSISTENT_VOLUME_CLAIM));
    if (pvs != null) pvs.addEventHandler(events(ClusterEvent.Resource.PERSISTENT_VOLUME));
    if (scs != null) scs.addEventHandler(events(ClusterEvent.Resource.STORAGE_CLASS));

    if (b.leaderElection) {
      LeaseLock lock = new LeaseLock(client, Params.LEASE_NAMESPACE, Params.LEASE_NAME, identity);
      this.elector = LeaderElector.config(lock, new LeaderElector.Callbacks() {
        @Override public void onStartedLeading() { startScheduling(); }
        @Override public void onStoppedLeading() { stopScheduling(); }
      }).leaseDuration(b.leaseDuration).renewDeadline(b.renewDeadline).retryPeriod(b.retryPeriod)
          .releaseOnCancel(true).clock(clock).build();
    } else {
      this.elector = null;
    }
  }

  private <T extends kubelab.api.meta.KubeObject> ResourceEventHandler<T> events(ClusterEvent.Resource r) {
    return new ResourceEventHandler<T>() {
      @Override public void onAdd(T o, boolean initial) { scheduler.onClusterEvent(new ClusterEvent(r, ClusterEvent.ADD)); }
      @Override public void onUpdate(T o, T n) { scheduler.onClusterEvent(new ClusterEvent(r, ClusterEvent.UPDATE)); }
      @Override public void onDelete(T o, boolean unknown) { scheduler.onClusterEvent(new ClusterEvent(r, ClusterEvent.DELETE)); }
    };
  }

  /** Whether a one-item LIST of {@code type} succeeds (served, and allowed by RBAC for this identity). */
  private boolean canList(ResourceType<?> type) {
    try {
      client.resource(type).list(kubelab.client.ListOptions.ALL.withLimit(1));
      return true;
    } catch (RuntimeException e) {
      return false; // 404 not served, 403 forbidden: the scheduler does without
    }
  }

  /**
   * Starts the informers, waits for their caches, then campaigns (or, without leader election,
   * starts scheduling).
   *
   * @throws IllegalStateException if the caches do not sync within {@code syncTimeout}
   */
  public void start(Duration syncTimeout) throws InterruptedException {
    factory.start();
    if (!factory.waitForCacheSync(syncTimeout)) {
      throw new IllegalStateException("scheduler: informer caches did not sync within " + syncTimeout.toSeconds()
          + "s; is the API server reachable at " + client.config().server() + "?");
    }
    if (elector == null) {
      startScheduling();
      return;
    }
    electionThread = new Thread(elector::run, "kubelab-scheduler-election-" + identity);
    electionThread.setDaemon(true);
    electionThread.start();
  }

  private synchronized void startScheduling() {
    if (closed) return;
    leading = true;
    schedulingStartedNanos = System.nanoTime();
    scheduler.start();
  }

  private synchronized void stopScheduling() {
    if (!leading) return;
    leading = false;
    scheduler.close();
  }

  /** {@link System#nanoTime} when the scheduling loop last started (0 if never): the benchmark's origin. */
  public long schedulingStartedNanos() {
    return schedulingStartedNanos;
  }

  /** Whether this instance holds the Lease and schedules. */
  public boolean isLeader() {
    return leading;
  }

  public String identity() {
    return identity;
  }

  /** The leader this instance last observed in the Lease (itself when leading). */
  public String observedLeader() {
    return elector == null ? identity : elector.leader();
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  /**
   * Simulates a crash for the HA experiment: stops scheduling and renewing without releasing the
   * Lease, so a standby takes over only after the lease duration.
   */
  public void kill() {
    closed = true;
    stopScheduling();
    if (elector != null) {
      if (electionThread != null) electionThread.interrupt();
    }
    factory.shutdown();
    broadcaster.close();
  }

  @Override
  public void close() {
    closed = true;
    if (elector != null) elector.stop();
    if (electionThread != null) {
      try {
        electionThread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    stopScheduling();
    scheduler.close();
    factory.shutdown();
    try {
      broadcaster.flush(Duration.ofSeconds(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    broadcaster.close();
  }
}
