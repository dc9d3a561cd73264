package kubelab.client.informer;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kubelab.api.coordination.Lease;
import kubelab.api.core.Event;
import kubelab.api.core.Namespace;
import kubelab.api.core.Node;
import kubelab.api.core.Pod;
import kubelab.api.meta.KubeObject;
import kubelab.api.policy.PodDisruptionBudget;
import kubelab.api.scheduling.PriorityClass;
import kubelab.client.KubeClient;
import kubelab.client.ListOptions;
import kubelab.client.ResourceType;

/**
 * Hands out one {@link SharedIndexInformer} per resource (and namespace and selectors), so all the
 * components of a process share one watch and one cache per resource (client-go's
 * SharedInformerFactory): the scheduler's queue and its cache both read the same pod informer.
 *
 * <pre>{@code
 * var factory = new SharedInformerFactory(client, Duration.ZERO);
 * var pods = factory.pods();            // same instance on every call
 * pods.addEventHandler(handler);
 * factory.start();                      // starts every informer asked for so far
 * factory.waitForCacheSync(Duration.ofSeconds(30));
 * }</pre>
 *
 * <p>Informers asked for after {@link #start()} are not started until {@code start()} is called
 * again (as in client-go). Thread-safe.
 */
public final class SharedInformerFactory {
  private record Key(ResourceType<?> type, String namespace, String labelSelector, String fieldSelector) {}

  private final KubeClient client;
  private final Duration defaultResync;
  private final Clock clock;
  private final String namespace;
  private final Map<Key, SharedIndexInformer<?>> informers = new LinkedHashMap<>();
  private boolean shutDown;

  /** Informers over all namespaces, on the system clock. */
  public SharedInformerFactory(KubeClient client, Duration defaultResync) {
    this(client, defaultResync, null, Clock.systemUTC());
  }

  /** @param namespace limit every namespaced informer to this namespace (null: all) */
  public SharedInformerFactory(KubeClient client, Duration defaultResync, String namespace, Clock clock) {
    this.client = client;
    this.defaultResync = defaultResync;
    this.namespace = namespace;
    this.clock = clock;
  }

  public SharedIndexInformer<Pod> pods() { return informerFor(ResourceType.PODS); }
  public SharedIndexInformer<Node> nodes() { return informerFor(ResourceType.NODES); }
  public SharedIndexInformer<Namespace> namespaces() { return informerFor(ResourceType.NAMESPACES); }
  public SharedIndexInformer<Event> events() { return informerFor(ResourceType.EVENTS); }
  public SharedIndexInformer<Lease> leases() { return informerFor(ResourceType.LEASES); }
  public SharedIndexInformer<PriorityClass> priorityClasses() { return informerFor(ResourceType.PRIORITY_CLASSES); }
  public SharedIndexInformer<PodDisruptionBudget> podDisruptionBudgets() {
    return informerFor(ResourceType.POD_DISRUPTION_BUDGETS);
  }

  /** The shared informer for every object of {@code type} (in the factory's namespace). */
  public <T extends KubeObject> SharedIndexInformer<T> informerFor(ResourceType<T> type) {
    return informerFor(type, ListOptions.ALL);
  }

  /**
   * The shared informer for the objects of {@code type} matching the label and field selectors of
   * {@code selectors}: e.g. the scheduler's "pods not yet finished"
   * ({@code status.phase!=Succeeded,status.phase!=Failed}). Different selectors: different watches.
   */
  @SuppressWarnings("unchecked")
  public synchronized <T extends KubeObject> SharedIndexInformer<T> informerFor(ResourceType<T> type, ListOptions selectors) {
    if (shutDown) throw new IllegalStateException("informer factory is shut down");
    String ns = type.namespaced() ? namespace : null;
    Key key = new Key(type, ns, empty(selectors.labelSelector()), empty(selectors.fieldSelector()));
    return (SharedIndexInformer<T>) informers.computeIfAbsent(key, k -> {
      String name = type + (ns == null ? "" : "@" + ns)
          + (k.labelSelector == null && k.fieldSelector == null ? "" : "[" + selectors.labelSelector() + ";" + selectors.fieldSelector() + "]");
      ListerWatcher<T> lw = ListerWatcher.of(client.resource(type).inNamespace(ns), selectors);
      return SharedIndexInformer.builder(name, lw).clock(clock).resync(defaultResync).build();
    });
  }

  private static String empty(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** Starts every informer created so far that is not running yet. */
  public synchronized void start() {
    if (shutDown) throw new IllegalStateException("informer factory is shut down");
    for (SharedIndexInformer<?> i : informers.values()) i.start();
  }

  /** Blocks until every informer has synced or the timeout passes; returns whether all synced. */
  public boolean waitForCacheSync(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (SharedIndexInformer<?> i : snapshot()) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !i.waitForSync(Duration.ofNanos(left))) return false;
    }
    return true;
  }

  /** Stops every informer. The factory cannot be used afterwards. */
  public void shutdown() {
    List<SharedIndexInformer<?>> all;
    synchronized (this) {
      shutDown = true;
      all = new ArrayList<>(informers.values());
    }
    for (SharedIndexInformer<?> i : all) i.stop();
  }

  private synchronized List<SharedIndexInformer<?>> snapshot() {
    return new ArrayList<>(informers.values());
  }
}
