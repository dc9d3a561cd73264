package kubelab.scheduler;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import kubelab.api.core.Node;
import kubelab.api.core.ObjectReference;
import kubelab.api.core.PersistentVolume;
import kubelab.api.core.PersistentVolumeClaim;
import kubelab.api.core.Pod;
import kubelab.api.meta.Condition;
import kubelab.api.policy.PodDisruptionBudget;
import kubelab.api.storage.StorageClass;
import kubelab.scheduler.framework.ApiWriter;
import kubelab.scheduler.framework.ClusterEvent;
import kubelab.scheduler.framework.ClusterObjects;
import kubelab.scheduler.util.ObjectCopies;

/**
 * A cluster held in memory: the {@link ApiWriter} and {@link ClusterObjects} of the in-process
 * benchmark and of the pure tests, beside the real API-server-backed ones.
 *
 * <p>It plays both the API server and the informers: a write (bind, status update, delete)
 * changes the stored object and calls the scheduler's event handlers at once, on the calling
 * thread, as a watch would deliver them. Bind behaves like the binding subresource: it fails for a
 * missing pod or one already bound elsewhere, and sets the PodScheduled condition. Deletion is
 * immediate unless {@link #gracefulDeletion} is on, in which case pods stay Terminating (with a
 * deletionTimestamp) until {@link #finishTerminating}. Thread-safe.
 */
public final class InMemoryCluster implements ApiWriter, ClusterObjects {
  /** An event as recorded: about which pod, Normal/Warning, reason, message. */
  public record RecordedEvent(String pod, String type, String reason, String message) {}

  private final Clock clock;
  private volatile Scheduler scheduler;
  private final Map<String, Node> nodes = new ConcurrentHashMap<>();
  private final Map<String, Pod> pods = new ConcurrentHashMap<>();
  private final Map<String, PersistentVolumeClaim> pvcs = new ConcurrentHashMap<>();
  private final Map<String, PersistentVolume> pvs = new ConcurrentHashMap<>();
  private final Map<String, StorageClass> classes = new ConcurrentHashMap<>();
  private final Map<String, PodDisruptionBudget> pdbs = new ConcurrentHashMap<>();
  private final Map<String, Map<String, String>> namespaceLabels = new ConcurrentHashMap<>();
  private final List<RecordedEvent> events = Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong uids = new AtomicLong();
  private volatile boolean gracefulDeletion;
  private volatile boolean recordEvents = true;

  public InMemoryCluster(Clock clock) {
    this.clock = clock;
  }

  public InMemoryCluster() {
    this(Clock.systemUTC());
  }

  /** Connects the scheduler whose handlers receive this cluster's changes. */
  public void attach(Scheduler s) {
    this.scheduler = s;
    for (Node n : nodes.values()) s.onNodeAdd(n);
    for (Pod p : pods.values()) s.onPodAdd(p);
  }

  /** Keep deleted pods Terminating until {@link #finishTerminating} (to watch preemption's grace period). */
  public void gracefulDeletion(boolean on) {
    this.gracefulDeletion = on;
  }

  /** The benchmark turns event recording off (it would only measure list appends). */
  public void recordEvents(boolean on) {
    this.recordEvents = on;
  }

  private static String key(Pod p) {
    return (p.metadata.namespace == null ? "default" : p.metadata.namespace) + "/" + p.metadata.name;
  }

  private String now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  // ------------------------------------------------------------------ objects a test creates

  public void addNode(Node n) {
    Node old = nodes.put(n.metadata.name, n);
    Scheduler s = scheduler;
    if (s == null) return;
    if (old == null) s.onNodeAdd(n);
    else s.onNodeUpdate(old, n);
  }

  public void updateNode(Node n) {
    addNode(n);
  }

  public void deleteNode(String name) {
    Node old = nodes.remove(name);
    if (old != null && scheduler != null) scheduler.onNodeDelete(old);
  }

  /** Creates a pod as the API server would: defaults namespace, uid, timestamp and schedulerName. */
  public Pod createPod(Pod p) {
    if (p.metadata.namespace == null) p.metadata.namespace = "default";
    if (p.metadata.uid == null) p.metadata.uid = "uid-" + uids.incrementAndGet();
    if (p.metadata.creationTimestamp == null) p.metadata.creationTimestamp = now();
    if (p.spec.schedulerName == null) p.spec.schedulerName = Params.DEFAULT_SCHEDULER_NAME;
    if (p.status == null) {
      p.status = new kubelab.api.core.PodStatus();
      p.status.phase = "Pending";
    }
    pods.put(key(p), p);
    if (scheduler != null) scheduler.onPodAdd(p);
    return p;
  }

  /** Replaces a pod (e.g. removing scheduling gates) and tells the scheduler. */
  public void updatePod(Pod p) {
    Pod old = pods.put(key(p), p);
    if (scheduler != null) scheduler.onPodUpdate(old, p);
  }

  /** A user's delete: immediate. */
  public void deletePod(String namespace, String name) {
    Pod old = pods.remove(namespace + "/" + name);
    if (old != null && scheduler != null) scheduler.onPodDelete(old);
  }

  /** Removes every Terminating pod (their grace period is over). */
  public int finishTerminating() {
    int n = 0;
    for (Pod p : new ArrayList<>(pods.values())) {
      if (p.metadata.deletionTimestamp == null) continue;
      pods.remove(key(p));
      if (scheduler != null) scheduler.onPodDelete(p);
      n++;
    }
    return n;
  }

  public void addPvc(PersistentVolumeClaim c) {
    if (c.metadata.namespace == null) c.metadata.namespace = "default";
    pvcs.put(c.metadata.namespace + "/" + c.metadata.name, c);
    if (scheduler != null) scheduler.onClusterEvent(new ClusterEvent(ClusterEvent.Resource.PERSISTENT_VOLUME_CLAIM, ClusterEvent.ADD));
  }

  public void addPv(PersistentVolume v) {
    pvs.put(v.metadata.name, v);
    if (scheduler != null) scheduler.onClusterEvent(new ClusterEvent(ClusterEvent.Resource.PERSISTENT_VOLUME, ClusterEvent.ADD));
  }

  public void addStorageClass(StorageClass sc) {
    classes.put(sc.metadata.name, sc);
    if (scheduler != null) scheduler.onClusterEvent(new ClusterEvent(ClusterEvent.Resource.STORAGE_CLASS, ClusterEvent.ADD));
  }

  public void addPdb(PodDisruptionBudget b) {
    if (b.metadata.namespace == null) b.metadata.namespace = "default";
    pdbs.put(b.metadata.namespace + "/" + b.metadata.name, b);
  }

  public void setNamespaceLabels(String ns, Map<String, String> labels) {
    namespaceLabels.put(ns, Map.copyOf(labels));
  }

  public Pod pod(String namespace, String name) {
    return pods.get(namespace + "/" + name);
  }

  public List<Pod> pods() {
    return new ArrayList<>(pods.values());
  }

  public List<Node> nodes() {
    return new ArrayList<>(nodes.values());
  }

  public List<RecordedEvent> events() {
    synchronized (events) {
      return new ArrayList<>(events);
    }
  }

  /** Events about one pod, oldest first. */
  public List<RecordedEvent> events(String namespace, String name) {
    String k = namespace + "/" + name;
    List<RecordedEvent> out = new ArrayList<>();
    for (RecordedEvent e : events()) if (e.pod().equals(k)) out.add(e);
    return out;
  }

  // ------------------------------------------------------------------ ApiWriter

  @Override
  public void bind(Pod pod, String nodeName) {
    String k = key(pod);
    Pod cur = pods.get(k);
    if (cur == null) throw new IllegalStateException("pods \"" + pod.metadata.name + "\" not found");
    if (pod.metadata.uid != null && cur.metadata.uid != null && !pod.metadata.uid.equals(cur.metadata.uid)) {
      throw new IllegalStateException("Operation cannot be fulfilled on pods/binding \"" + pod.metadata.name + "\": UID mismatch");
    }
    if (cur.spec.nodeName != null && !cur.spec.nodeName.isEmpty()) {
      throw new IllegalStateException("Operation cannot be fulfilled on pods/binding \"" + pod.metadata.name
          + "\": pod " + pod.metadata.name + " is already assigned to node \"" + cur.spec.nodeName + "\"");
    }
    if (!nodes.containsKey(nodeName)) throw new IllegalStateException("nodes \"" + nodeName + "\" not found");
    Pod bound = ObjectCopies.withNodeName(cur, nodeName);
    bound.status = cur.status == null ? new kubelab.api.core.PodStatus() : ObjectCopies.shallow(cur.status);
    setCondition(bound, new Condition(SchedulerReasons.CONDITION_POD_SCHEDULED, "True", null, null));
    pods.put(k, bound);
    Scheduler s = scheduler;
    if (s != null) s.onPodUpdate(cur, bound);
  }

  @Override
  public void event(Pod regarding, String type, String reason, String action, String message) {
    if (recordEvents) events.add(new RecordedEvent(key(regarding), type, reason, message));
  }

  @Override
  public void updatePodStatus(Pod pod, Condition condition, String nominatedNodeName) {
    String k = key(pod);
    Pod cur = pods.get(k);
    if (cur == null) throw new IllegalStateException("pods \"" + pod.metadata.name + "\" not found");
    Pod upd = ObjectCopies.withStatusCopy(cur);
    if (condition != null) setCondition(upd, condition);
    if (nominatedNodeName != null) upd.status.nominatedNodeName = nominatedNodeName.isEmpty() ? null : nominatedNodeName;
    pods.put(k, upd);
    Scheduler s = scheduler;
    if (s != null) s.onPodUpdate(cur, upd);
  }

  private void setCondition(Pod p, Condition c) {
    if (p.status.conditions == null) p.status.conditions = new ArrayList<>();
    else p.status.conditions = new ArrayList<>(p.status.conditions);
    Condition copy = new Condition(c.type, c.status, c.reason, c.message);
    copy.lastTransitionTime = now();
    p.status.conditions.removeIf(x -> c.type.equals(x.type));
    p.status.conditions.add(copy);
  }

  @Override
  public void deletePod(Pod pod, long gracePeriodSeconds) {
    String k = key(pod);
    Pod cur = pods.get(k);
    if (cur == null) return;
    if (gracefulDeletion && gracePeriodSeconds > 0) {
      Pod t = ObjectCopies.withMetadataCopy(cur);
      t.metadata.deletionTimestamp = clock.instant().plusSeconds(gracePeriodSeconds).truncatedTo(ChronoUnit.SECONDS).toString();
      t.metadata.deletionGracePeriodSeconds = gracePeriodSeconds;
      pods.put(k, t);
      if (scheduler != null) scheduler.onPodUpdate(cur, t);
      return;
    }
    pods.remove(k);
    if (scheduler != null) scheduler.onPodDelete(cur);
  }

  @Override
  public void bindVolume(PersistentVolume pv, PersistentVolumeClaim pvc) {
    PersistentVolume v = ObjectCopies.shallow(pv);
    v.spec = ObjectCopies.shallow(pv.spec);
    v.spec.claimRef = new ObjectReference("PersistentVolumeClaim", pvc.metadata.namespace, pvc.metadata.name);
    pvs.put(v.metadata.name, v);
    PersistentVolumeClaim c = ObjectCopies.shallow(pvc);
    c.spec = ObjectCopies.shallow(pvc.spec);
    c.spec.volumeName = pv.metadata.name;
    pvcs.put(c.metadata.namespace + "/" + c.metadata.name, c);
  }

  // ------------------------------------------------------------------ ClusterObjects

  @Override public PersistentVolumeClaim pvc(String namespace, String name) { return pvcs.get(namespace + "/" + name); }
  @Override public PersistentVolume pv(String name) { return pvs.get(name); }
  @Override public List<PersistentVolume> pvs() { return new ArrayList<>(pvs.values()); }
  @Override public StorageClass storageClass(String name) { return classes.get(name); }
  @Override public List<PodDisruptionBudget> pdbs() { return new ArrayList<>(pdbs.values()); }
  @Override public Map<String, String> namespaceLabels(String namespace) { return namespaceLabels.getOrDefault(namespace, Map.of()); }

  Instant instant() {
    return clock.instant();
  }
}
