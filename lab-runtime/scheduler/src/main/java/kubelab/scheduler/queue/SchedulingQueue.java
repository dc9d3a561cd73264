package kubelab.scheduler.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import kubelab.api.core.Pod;
import kubelab.scheduler.Params;
import kubelab.scheduler.framework.ClusterEvent;
import kubelab.scheduler.framework.Framework;
import kubelab.scheduler.framework.Nominator;
import kubelab.scheduler.framework.PodInfo;
import kubelab.scheduler.framework.QueuedPodInfo;
import kubelab.scheduler.framework.Status;

/**
 * The scheduling queue: three places a pending pod can be (Kubernetes' PriorityQueue; the seeds
 * knew activeQ and unschedulableQ, v1.19+ added backoffQ).
 *
 * <pre>
 *   add ──► activeQ ──pop──► scheduling cycle ──fails──► unschedulable pods ──cluster event──┐
 *   (heap: priority, then age)        │                  (waiting for an event          │
 *              ▲                      │ event during       that could help)             │
 *              │                      └─the cycle──► backoffQ ◄────still backing off────┤
 *              └────────────back-off expired (flushed every 1 s)◄────────────────────────┘
 * </pre>
 *
 * <ul>
 *   <li>activeQ is ordered by the profile's QueueSort plugin (PrioritySort).
 *   <li>A pod that failed waits in "unschedulable" until an event registered by a plugin that
 *       rejected it happens (a node is added, an assigned pod is deleted, ...), or 5 minutes pass.
 *       If such an event happened while the pod was being scheduled, it goes to backoffQ
 *       straight away (the moveRequestCycle rule), so no wake-up is lost.
 *   <li>Moved pods still in their back-off window go to backoffQ (1 s doubling to 10 s).
 *   <li>PreEnqueue plugins (scheduling gates) keep a pod out of activeQ altogether.
 * </ul>
 * Time comes from the injected clock; {@link #flushBackoffQCompleted} and
 * {@link #flushUnschedulablePodsLeftover} are called by the scheduler's ticker (tests call them
 * directly after advancing a FakeClock). Thread-safe: one lock guards all three structures;
 * {@link #pop} blocks until a pod is ready or the queue is closed.
 */
public final class SchedulingQueue {
  private final Clock clock;
  private final Backoff backoff;
  private final Function<Pod, Framework> frameworks;
  private final Framework sorter;
  private final Nominator nominator;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition ready = lock.newCondition();

  private final PriorityQueue<QueuedPodInfo> activeQ;
  private final PriorityQueue<QueuedPodInfo> backoffQ;
  private final Map<String, QueuedPodInfo> inActive = new HashMap<>();
  private final Map<String, QueuedPodInfo> inBackoff = new HashMap<>();
  private final Map<String, QueuedPodInfo> unschedulable = new HashMap<>();
  private final Map<String, Long> inFlight = new HashMap<>();
  private long schedulingCycle;
  private long moveRequestCycle = -1;
  private long sequence;
  private boolean closed;

  /**
   * @param frameworks the profile of a pod (by its schedulerName); never null for queued pods
   * @param sorter the framework whose QueueSort orders activeQ (all profiles share one)
   */
  public SchedulingQueue(Clock clock, Backoff backoff, Function<Pod, Framework> frameworks, Framework sorter, Nominator nominator) {
    this.clock = clock;
    this.backoff = backoff;
    this.frameworks = frameworks;
    this.sorter = sorter;
    this.nominator = nominator;
    Comparator<QueuedPodInfo> order = (a, b) -> sorter.less(a, b) ? -1 : sorter.less(b, a) ? 1 : Long.compare(a.sequence, b.sequence);
    this.activeQ = new PriorityQueue<>(order);
    this.backoffQ = new PriorityQueue<>(Comparator.comparing(this::backoffExpiry));
  }

  private Instant now() {
    return clock.instant();
  }

  private Instant backoffExpiry(QueuedPodInfo p) {
    return p.timestamp.plus(backoff.duration(p.attempts));
  }

  private boolean isBackingOff(QueuedPodInfo p) {
    return p.attempts > 0 && backoffExpiry(p).isAfter(now());
  }

  /** A new pending pod (informer Add of an unscheduled pod). */
  public void add(Pod pod) {
    add(new PodInfo(pod));
  }

  public void add(PodInfo pi) {
    lock.lock();
    try {
      String key = pi.key();
      if (inActive.containsKey(key) || inBackoff.containsKey(key) || unschedulable.containsKey(key)) return;
      QueuedPodInfo q = new QueuedPodInfo(pi, now());
      nominate(pi);
      moveToActiveOrGate(q);
    } finally {
      lock.unlock();
    }
  }

  private void nominate(PodInfo pi) {
    Pod p = pi.pod();
    if (p.status != null && p.status.nominatedNodeName != null && !p.status.nominatedNodeName.isEmpty()) {
      nominator.add(pi, p.status.nominatedNodeName);
    }
  }

  /** PreEnqueue, then activeQ; a gated pod goes to the unschedulable set. Called with the lock. */
  private boolean moveToActiveOrGate(QueuedPodInfo q) {
    Framework fwk = frameworks.apply(q.podInfo().pod());
    Status s = fwk == null ? Status.SUCCESS : fwk.runPreEnqueuePlugins(q.podInfo().pod());
    if (!s.isSuccess()) {
      q.gated = true;
      q.gatingPlugin = s.plugin();
      q.unschedulablePlugins.clear();
      if (s.plugin() != null) q.unschedulablePlugins.add(s.plugin());
      unschedulable.put(q.key(), q);
      return false;
    }
    q.gated = false;
    q.gatingPlugin = null;
    q.sequence = ++sequence;
    inActive.put(q.key(), q);
    activeQ.add(q);
    ready.signal();
    return true;
  }

  /**
   * Takes the next pod to schedule, waiting up to {@code timeout} (null: until one arrives or the
   * queue is closed).
   *
   * @return the pod, or null on timeout or close
   */
  public QueuedPodInfo pop(Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      long nanos = timeout == null ? Long.MAX_VALUE : timeout.toNanos();
      while (activeQ.isEmpty()) {
        if (closed) return null;
        if (timeout == null) {
          ready.await();
        } else {
          if (nanos <= 0) return null;
          nanos = ready.awaitNanos(nanos);
        }
      }
      QueuedPodInfo q = activeQ.poll();
      inActive.remove(q.key());
      q.attempts++;
      schedulingCycle++;
      inFlight.put(q.key(), schedulingCycle);
      return q;
    } finally {
      lock.unlock();
    }
  }

  /** The cycle number of the last pop (passed back to {@link #addUnschedulableIfNotPresent}). */
  public long schedulingCycle() {
    lock.lock();
    try {
      return schedulingCycle;
    } finally {
      lock.unlock();
    }
  }

  /** The scheduling cycle of a popped pod is over (success or failure handled). */
  public void done(String podKey) {
    lock.lock();
    try {
      inFlight.remove(podKey);
    } finally {
      lock.unlock();
    }
  }

  /**
   * A pod's attempt failed: park it until an event could help, or back it off at once if such an
   * event arrived during its cycle or it failed with an error (no plugin to wait for).
   */
  public void addUnschedulableIfNotPresent(QueuedPodInfo q, long podSchedulingCycle) {
    lock.lock();
    try {
      String key = q.key();
      inFlight.remove(key);
      if (inActive.containsKey(key) || inBackoff.containsKey(key) || unschedulable.containsKey(key)) return;
      q.timestamp = now();
      if (moveRequestCycle >= podSchedulingCycle || (q.unschedulablePlugins.isEmpty() && q.pendingPlugins.isEmpty())) {
        inBackoff.put(key, q);
        backoffQ.add(q);
      } else {
        unschedulable.put(key, q);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Informer Update of a pending pod: refresh it; an unschedulable one gets another chance only
   * if something besides its status changed (isPodUpdated: the scheduler's own condition and
   * nominatedNodeName writes must not release it).
   */
  public void update(Pod oldPod, Pod newPod) {
    lock.lock();
    try {
      PodInfo pi = new PodInfo(newPod);
      String key = pi.key();
      nominator.remove(key);
      nominate(pi);
      QueuedPodInfo q = inActive.get(key);
      if (q != null) {
        activeQ.remove(q);
        q.update(pi);
        activeQ.add(q);
        return;
      }
      q = inBackoff.get(key);
      if (q != null) {
        backoffQ.remove(q);
        q.update(pi);
        backoffQ.add(q);
        return;
      }
      q = unschedulable.get(key);
      if (q != null) {
        q.update(pi);
        if (oldPod != null && !specOrMetadataChanged(oldPod, newPod)) return;
        unschedulable.remove(key);
        if (q.gated) {
          q.timestamp = now();
          moveToActiveOrGate(q);
        } else if (isBackingOff(q)) {
          inBackoff.put(key, q);
          backoffQ.add(q);
        } else {
          moveToActiveOrGate(q);
        }
        return;
      }
      if (!inFlight.containsKey(key)) moveToActiveOrGate(new QueuedPodInfo(pi, now()));
    } finally {
      lock.unlock();
    }
  }

  /** isPodUpdated: anything but status, resourceVersion, generation and managedFields changed. */
  static boolean specOrMetadataChanged(Pod a, Pod b) {
    if (a.spec != b.spec && !kubelab.api.Json.tree(a.spec).equals(kubelab.api.Json.tree(b.spec))) return true;
    if (a.metadata == b.metadata) return false;
    var ma = (com.fasterxml.jackson.databind.node.ObjectNode) kubelab.api.Json.tree(a.metadata);
    var mb = (com.fasterxml.jackson.databind.node.ObjectNode) kubelab.api.Json.tree(b.metadata);
    for (String f : new String[] {"resourceVersion", "generation", "managedFields"}) {
      ma.remove(f);
      mb.remove(f);
    }
    return !ma.equals(mb);
  }

  /** The pod is gone (deleted, or bound by someone else). */
  public void delete(String podKey) {
    lock.lock();
    try {
      nominator.remove(podKey);
      QueuedPodInfo q = inActive.remove(podKey);
      if (q != null) activeQ.remove(q);
      q = inBackoff.remove(podKey);
      if (q != null) backoffQ.remove(q);
      unschedulable.remove(podKey);
    } finally {
      lock.unlock();
    }
  }

  /**
   * A cluster event happened: every unschedulable pod rejected by a plugin that registered for
   * it moves to activeQ, or backoffQ while still backing off (MoveAllToActiveOrBackoffQueue).
   *
   * @return how many pods moved
   */
  public int moveAllToActiveOrBackoffQueue(ClusterEvent event) {
    lock.lock();
    try {
      moveRequestCycle = schedulingCycle;
      int moved = 0;
      for (QueuedPodInfo q : new ArrayList<>(unschedulable.values())) {
        if (q.gated) continue;
        if (!interested(q, event)) continue;
        unschedulable.remove(q.key());
        if (isBackingOff(q)) {
          inBackoff.put(q.key(), q);
          backoffQ.add(q);
        } else {
          moveToActiveOrGate(q);
        }
        moved++;
      }
      return moved;
    } finally {
      lock.unlock();
    }
  }

  private boolean interested(QueuedPodInfo q, ClusterEvent event) {
    if (event.resource() == ClusterEvent.Resource.WILDCARD) return true;
    if (q.unschedulablePlugins.isEmpty()) return true;
    Framework fwk = frameworks.apply(q.podInfo().pod());
    if (fwk == null) return true;
    for (String plugin : q.unschedulablePlugins) {
      for (ClusterEvent registered : fwk.eventsFor(plugin)) if (registered.matches(event)) return true;
    }
    return false;
  }

  /** Moves every pod whose back-off has expired to activeQ (every second). */
  public int flushBackoffQCompleted() {
    lock.lock();
    try {
      int moved = 0;
      while (!backoffQ.isEmpty() && !backoffExpiry(backoffQ.peek()).isAfter(now())) {
        QueuedPodInfo q = backoffQ.poll();
        inBackoff.remove(q.key());
        moveToActiveOrGate(q);
        moved++;
      }
      return moved;
    } finally {
      lock.unlock();
    }
  }

  /** Retries pods unschedulable for longer than 5 minutes even without an event. */
  public int flushUnschedulablePodsLeftover() {
    lock.lock();
    try {
      Instant cutoff = now().minus(Params.POD_MAX_IN_UNSCHEDULABLE_PODS);
      int moved = 0;
      for (QueuedPodInfo q : new ArrayList<>(unschedulable.values())) {
        if (q.gated || q.timestamp.isAfter(cutoff)) continue;
        unschedulable.remove(q.key());
        if (isBackingOff(q)) {
          inBackoff.put(q.key(), q);
          backoffQ.add(q);
        } else {
          moveToActiveOrGate(q);
        }
        moved++;
      }
      return moved;
    } finally {
      lock.unlock();
    }
  }

  /** Wakes {@link #pop} callers; they return null once activeQ is empty. */
  public void close() {
    lock.lock();
    try {
      closed = true;
      ready.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Pods in all three parts plus those being scheduled. */
  public int size() {
    lock.lock();
    try {
      return inActive.size() + inBackoff.size() + unschedulable.size();
    } finally {
      lock.unlock();
    }
  }

  public boolean contains(String podKey) {
    lock.lock();
    try {
      return inActive.containsKey(podKey) || inBackoff.containsKey(podKey) || unschedulable.containsKey(podKey);
    } finally {
      lock.unlock();
    }
  }

  /** A copy of the queue's contents (for `lab scheduler queue`). */
  public QueueSnapshot snapshot() {
    lock.lock();
    try {
      List<QueuedPodInfo> a = new ArrayList<>(activeQ);
      a.sort(activeQ.comparator());
      List<QueuedPodInfo> b = new ArrayList<>(backoffQ);
      b.sort(backoffQ.comparator());
      List<QueuedPodInfo> u = new ArrayList<>(unschedulable.values());
      u.sort(Comparator.comparing(QueuedPodInfo::key));
      return new QueueSnapshot(entries(a, false), entries(b, true), entries(u, false));
    } finally {
      lock.unlock();
    }
  }

  private List<QueueSnapshot.Entry> entries(List<QueuedPodInfo> l, boolean withExpiry) {
    List<QueueSnapshot.Entry> out = new ArrayList<>();
    for (QueuedPodInfo q : l) {
      out.add(new QueueSnapshot.Entry(q.key(), q.podInfo().priority(), q.attempts,
          withExpiry ? backoffExpiry(q) : null, List.copyOf(new java.util.TreeSet<>(q.unschedulablePlugins)), q.gated));
    }
    return out;
  }

  /** Blocks until activeQ is non-empty or the timeout passes (tests). */
  public boolean awaitActive(Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      long nanos = timeout.toNanos();
      while (activeQ.isEmpty() && nanos > 0) nanos = ready.awaitNanos(nanos);
      return !activeQ.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  static long millis(Duration d) {
    return TimeUnit.NANOSECONDS.toMillis(d.toNanos());
  }
}
