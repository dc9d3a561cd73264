package kubelab.client.leaderelection;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.random.RandomGenerator;
import kubelab.client.ApiException;
import kubelab.client.KubeClientException;
import kubelab.client.Params;
import kubelab.client.flowcontrol.Sleeper;

/**
 * Leader election through a lock object, as client-go's leaderelection package does it for
 * kube-scheduler and kube-controller-manager: several replicas run, one leads, the others stand by
 * and take over when the leader stops renewing.
 *
 * <p>The rules (all times on the injected {@link Clock}):
 * <ol>
 *   <li>Every {@code retryPeriod} (× a jitter of up to {@code 1.2}), a candidate reads the lock.
 *       If nobody holds it, or the holder is itself, or the record has not changed for
 *       {@code leaseDuration} <i>as measured on this candidate's own clock since it first saw that
 *       record</i> (so clock skew between machines does not matter), it writes itself in.
 *   <li>Writes carry the version read (optimistic concurrency): of two candidates racing, one
 *       gets a Conflict and keeps waiting. A takeover increments {@code leaseTransitions} and sets
 *       {@code acquireTime}; a renewal keeps both and moves {@code renewTime}.
 *   <li>The leader renews every {@code retryPeriod}. If renewals keep failing for
 *       {@code renewDeadline}, it stops leading ({@code onStoppedLeading}) — before
 *       {@code leaseDuration} runs out, so it has stopped before anyone else can start.
 *   <li>On {@link #stop()} with {@code releaseOnCancel}, the leader writes an empty holder so a
 *       standby takes over at once instead of after {@code leaseDuration}.
 * </ol>
 * Defaults (kube-scheduler's): leaseDuration 15 s, renewDeadline 10 s, retryPeriod 2 s.
 *
 * <p>Threading: {@link #run()} blocks its thread until leadership is lost or {@link #stop()} is
 * called. {@code onStartedLeading} runs on a new thread; {@code onStoppedLeading} and
 * {@code onNewLeader} run on the elector's thread and must not block long.
 */
public final class LeaderElector {
  private static final System.Logger LOG = System.getLogger(LeaderElector.class.getName());

  /** What the component does when it gains or loses leadership. */
  public interface Callbacks {
    /** Now leading: start the work. Runs on its own thread. */
    void onStartedLeading();

    /** No longer leading (lost the lock, or stopped): stop the work at once. */
    void onStoppedLeading();

    /** The observed leader changed (including to this candidate). */
    default void onNewLeader(String identity) {}
  }

  private final Config config;
  private final ResourceLock lock;
  private final Clock clock;
  private LeaderElectionRecord observedRecord;
  private Instant observedTime;
  private volatile String reportedLeader;
  private volatile boolean leading;
  private volatile boolean stopped;
  private volatile Thread runner;

  public LeaderElector(Config config) {
    this.config = config;
    this.lock = config.lock;
    this.clock = config.clock;
  }

  public static Config.Builder config(ResourceLock lock, Callbacks callbacks) {
    return new Config.Builder(lock, callbacks);
  }

  /**
   * Campaigns until leading, leads until the lock is lost or {@link #stop()} is called, then
   * returns. A process usually exits after this returns (as kube-scheduler does): a new
   * {@code LeaderElector} may campaign again.
   */
  public void run() {
    runner = Thread.currentThread();
    try {
      if (!acquire()) return;
      Thread work = new Thread(config.callbacks::onStartedLeading, "leader-" + lock.identity());
      work.setDaemon(true);
      work.start();
      renew();
    } finally {
      boolean wasLeading = leading;
      leading = false;
      if (wasLeading) {
        if (stopped && config.releaseOnCancel) release();
        config.callbacks.onStoppedLeading();
      }
      runner = null;
    }
  }

  /** Stops campaigning or leading; {@link #run()} returns soon after. Safe from any thread. */
  public void stop() {
    stopped = true;
    Thread t = runner;
    if (t != null && t != Thread.currentThread()) t.interrupt();
  }

  public boolean isLeader() {
    return leading;
  }

  /** The holder last observed in the lock ("" if none yet). */
  public String leader() {
    String l = reportedLeader;
    return l == null ? "" : l;
  }

  public String identity() {
    return lock.identity();
  }

  private boolean acquire() {
    LOG.log(Level.INFO, "{0}: attempting to acquire leader lease {1}", lock.identity(), lock.describe());
    while (!stopped) {
      if (tryAcquireOrRenew()) {
        leading = true;
        LOG.log(Level.INFO, "{0}: successfully acquired lease {1}", lock.identity(), lock.describe());
        return true;
      }
      double jitter = 1 + config.random.nextDouble() * Params.LEADER_JITTER_FACTOR;
      if (!sleep(Duration.ofNanos((long) (config.retryPeriod.toNanos() * jitter)))) return false;
    }
    return false;
  }

  private void renew() {
    Instant failingSince = null;
    while (!stopped) {
      if (!sleep(config.retryPeriod)) return;
      if (stopped) return;
      if (tryAcquireOrRenew()) {
        failingSince = null;
        continue;
      }
      Instant now = clock.instant();
      if (failingSince == null) failingSince = now;
      if (Duration.between(failingSince, now).compareTo(config.renewDeadline) >= 0) {
        LOG.log(Level.WARNING, "{0}: failed to renew lease {1} within {2}: stopped leading",
            lock.identity(), lock.describe(), config.renewDeadline);
        return;
      }
    }
  }

  /**
   * One round of the rules above: read the lock, and write this candidate in if allowed. Returns
   * whether this candidate holds the lock now. Package-visible: tests step it on a fake clock.
   */
  boolean tryAcquireOrRenew() {
    Instant now = clock.instant();
    LeaderElectionRecord desired = new LeaderElectionRecord(lock.identity(), config.leaseDuration, now, now, 0);
    LeaderElectionRecord old;
    try {
      old = lock.get();
    } catch (ApiException.NotFound e) {
      try {
        lock.create(desired);
      } catch (KubeClientException createFailed) {
        LOG.log(Level.DEBUG, "{0}: error initially creating lease: {1}", lock.identity(), createFailed.getMessage());
        return false;
      }
      observe(desired, now);
      return true;
    } catch (KubeClientException e) {
      LOG.log(Level.INFO, "{0}: error retrieving lease {1}: {2}", lock.identity(), lock.describe(), e.getMessage());
      return false;
    }

    if (!Objects.equals(old, observedRecord)) observe(old, now);
    boolean heldByOther = !old.holderIdentity().isEmpty() && !old.holderIdentity().equals(lock.identity());
    if (heldByOther && observedTime.plus(old.leaseDuration()).isAfter(now)) {
      return false; // lock is held by someone else and has not expired
    }
    if (old.holderIdentity().equals(lock.identity())) {
      desired = new LeaderElectionRecord(lock.identity(), config.leaseDuration, old.acquireTime(), now,
          old.leaderTransitions());
    } else {
      desired = new LeaderElectionRecord(lock.identity(), config.leaseDuration, now, now, old.leaderTransitions() + 1);
    }
    try {
      lock.update(desired);
    } catch (KubeClientException e) {
      LOG.log(Level.DEBUG, "{0}: failed to update lease: {1}", lock.identity(), e.getMessage());
      return false;
    }
    observe(desired, now);
    return true;
  }

  private void observe(LeaderElectionRecord r, Instant now) {
    observedRecord = r;
    observedTime = now;
    String holder = r.holderIdentity();
    if (!holder.equals(reportedLeader)) {
      reportedLeader = holder;
      if (!holder.isEmpty()) {
        try {
          config.callbacks.onNewLeader(holder);
        } catch (RuntimeException e) {
          LOG.log(Level.ERROR, "onNewLeader threw", e);
        }
      }
    }
  }

  /** Gives the lock up: empty holder, 1 s duration, so standbys take over at once (client-go release). */
  private void release() {
    if (observedRecord == null || !lock.identity().equals(observedRecord.holderIdentity())) return;
    Instant now = clock.instant();
    LeaderElectionRecord r = new LeaderElectionRecord("", Duration.ofSeconds(1), now, now,
        observedRecord.leaderTransitions());
    try {
      lock.update(r);
      observe(r, now);
      LOG.log(Level.INFO, "{0}: released lease {1}", lock.identity(), lock.describe());
    } catch (KubeClientException e) {
      LOG.log(Level.WARNING, "{0}: failed to release lease: {1}", lock.identity(), e.getMessage());
    }
  }

  private boolean sleep(Duration d) {
    try {
      config.sleeper.sleep(d);
      return !stopped;
    } catch (InterruptedException e) {
      return false;
    }
  }

  /** Immutable election settings; build with {@link LeaderElector#config}. */
  public static final class Config {
    final ResourceLock lock;
    final Callbacks callbacks;
    final Duration leaseDuration;
    final Duration renewDeadline;
    final Duration retryPeriod;
    final boolean releaseOnCancel;
    final Clock clock;
    final Sleeper sleeper;
    final RandomGenerator random;

    private Config(Builder b) {
      this.lock = b.lock;
      this.callbacks = b.callbacks;
      this.leaseDuration = b.leaseDuration;
      this.renewDeadline = b.renewDeadline;
      this.retryPeriod = b.retryPeriod;
      this.releaseOnCancel = b.releaseOnCancel;
      this.clock = b.clock;
      this.sleeper = b.sleeper;
      this.random = b.random;
      // client-go's NewLeaderElector checks
      if (leaseDuration.compareTo(renewDeadline) <= 0) {
        throw new IllegalArgumentException("leaseDuration must be greater than renewDeadline");
      }
      if (renewDeadline.toNanos() <= (long) (Params.LEADER_JITTER_FACTOR * retryPeriod.toNanos())) {
        throw new IllegalArgumentException("renewDeadline must be greater than retryPeriod*JitterFactor");
      }
      if (lock.identity() == null || lock.identity().isEmpty()) {
        throw new IllegalArgumentException("lock identity is empty");
      }
    }

    /** Mutable builder; not thread-safe. */
    public static final class Builder {
      private final ResourceLock lock;
      private final Callbacks callbacks;
      private Duration leaseDuration = Params.LEASE_DURATION;
      private Duration renewDeadline = Params.RENEW_DEADLINE;
      private Duration retryPeriod = Params.RETRY_PERIOD;
      private boolean releaseOnCancel;
      private Clock clock = Clock.systemUTC();
      private Sleeper sleeper = Sleeper.REAL;
      private RandomGenerator random = RandomGenerator.of("L64X128MixRandom");

      Builder(ResourceLock lock, Callbacks callbacks) {
        this.lock = Objects.requireNonNull(lock);
        this.callbacks = Objects.requireNonNull(callbacks);
      }

      public Builder leaseDuration(Duration d) { this.leaseDuration = d; return this; }
      public Builder renewDeadline(Duration d) { this.renewDeadline = d; return this; }
      public Builder retryPeriod(Duration d) { this.retryPeriod = d; return this; }
      public Builder releaseOnCancel(boolean b) { this.releaseOnCancel = b; return this; }
      public Builder clock(Clock c) { this.clock = c; return this; }
      public Builder sleeper(Sleeper s) { this.sleeper = s; return this; }
      public Builder random(RandomGenerator r) { this.random = r; return this; }

      public LeaderElector build() {
        return new LeaderElector(new Config(this));
      }
    }
  }
}
