package kubelab.scheduler;

import java.time.Duration;
import java.util.List;
import kubelab.api.core.Pod;
import kubelab.api.meta.Condition;
import kubelab.scheduler.config.SchedulerConfiguration;
import kubelab.testkit.FakeClock;

/** A scheduler on an in-memory cluster with a fake clock, driven one cycle at a time. */
final class SchedulerEnv implements AutoCloseable {
  final FakeClock clock = new FakeClock();
  final InMemoryCluster cluster = new InMemoryCluster(clock);
  final Scheduler scheduler;

  SchedulerEnv() {
    this(SchedulerConfiguration.defaults());
  }

  SchedulerEnv(SchedulerConfiguration cfg) {
    scheduler = Scheduler.builder().config(cfg).api(cluster).objects(cluster).clock(clock).bindInline(true).seed(7).build();
    cluster.attach(scheduler);
  }

  /** Runs scheduling cycles until activeQ is empty. */
  void run() throws InterruptedException {
    while (scheduler.scheduleOne(Duration.ZERO)) {
      // next pod
    }
  }

  /** Lets back-offs expire (advancing the fake clock), then runs. */
  void retryAfter(Duration d) throws InterruptedException {
    clock.advance(d);
    scheduler.queue().flushBackoffQCompleted();
    run();
  }

  String nodeOf(String pod) {
    Pod p = cluster.pod("default", pod);
    return p == null ? null : p.spec.nodeName;
  }

  List<InMemoryCluster.RecordedEvent> events(String pod) {
    return cluster.events("default", pod);
  }

  String lastMessage(String pod, String reason) {
    String m = null;
    for (var e : events(pod)) if (e.reason().equals(reason)) m = e.message();
    return m;
  }

  Condition condition(String pod, String type) {
    Pod p = cluster.pod("default", pod);
    if (p.status == null || p.status.conditions == null) return null;
    for (Condition c : p.status.conditions) if (type.equals(c.type)) return c;
    return null;
  }

  @Override
  public void close() {
    scheduler.close();
  }
}
