package kubelab.client.leaderelection;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import kubelab.api.coordination.Lease;
import kubelab.client.KubeClient;
import kubelab.client.ResourceClient;

/**
 * A leader election lock in a coordination.k8s.io/v1 Lease, the way kube-scheduler and
 * kube-controller-manager hold theirs in kube-system: the record lives in {@code spec}
 * (holderIdentity, leaseDurationSeconds, acquireTime, renewTime, leaseTransitions), and updates
 * carry the resourceVersion of the Lease last read, so two candidates can never both win one
 * round: the second write gets 409 Conflict.
 *
 * <p>Fields of the Lease this lock does not manage (labels, annotations, unknown fields) survive
 * its writes. Not thread-safe: one elector uses it.
 */
public final class LeaseLock implements ResourceLock {
  /** Lease times are metav1.MicroTime: RFC 3339 with exactly six fractional digits. */
  static final DateTimeFormatter MICRO_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX").withZone(ZoneOffset.UTC);

  private final ResourceClient<Lease> leases;
  private final String namespace;
  private final String name;
  private final String identity;
  private Lease last;

  public LeaseLock(KubeClient client, String namespace, String name, String identity) {
    this.leases = client.leases(namespace);
    this.namespace = namespace;
    this.name = name;
    this.identity = identity;
  }

  /**
   * A candidate identity as kube-scheduler and kube-controller-manager make theirs:
   * {@code <hostname>_<random uuid>}, unique even for two replicas on one host.
   */
  public static String uniqueIdentity() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      host = "localhost";
    }
    return host + "_" + java.util.UUID.randomUUID();
  }

  @Override public LeaderElectionRecord get() {
    Lease l = leases.get(name);
    last = l;
    return toRecord(l);
  }

  @Override public void create(LeaderElectionRecord r) {
    Lease l = new Lease();
    l.metadata.namespace = namespace;
    l.metadata.name = name;
    fill(l, r);
    last = leases.create(l);
  }

  @Override public void update(LeaderElectionRecord r) {
    if (last == null) throw new IllegalStateException("update before get or create");
    Lease l = kubelab.api.Json.convert(kubelab.api.Json.tree(last), Lease.class); // our own copy
    fill(l, r);
    last = leases.update(l);
  }

  @Override public String identity() {
    return identity;
  }

  @Override public String describe() {
    return namespace + "/" + name;
  }

  /** The Lease as last read or written, for tests and status output. */
  public Lease lastObserved() {
    return last;
  }

  private static void fill(Lease l, LeaderElectionRecord r) {
    if (l.spec == null) l.spec = new Lease.LeaseSpec();
    l.spec.holderIdentity = r.holderIdentity();
    l.spec.leaseDurationSeconds = (int) r.leaseDuration().toSeconds();
    l.spec.acquireTime = r.acquireTime() == null ? null : MICRO_TIME.format(r.acquireTime());
    l.spec.renewTime = r.renewTime() == null ? null : MICRO_TIME.format(r.renewTime());
    l.spec.leaseTransitions = r.leaderTransitions();
  }

  static LeaderElectionRecord toRecord(Lease l) {
    Lease.LeaseSpec s = l.spec == null ? new Lease.LeaseSpec() : l.spec;
    return new LeaderElectionRecord(s.holderIdentity == null ? "" : s.holderIdentity,
        Duration.ofSeconds(s.leaseDurationSeconds == null ? 0 : s.leaseDurationSeconds),
        parse(s.acquireTime), parse(s.renewTime), s.leaseTransitions == null ? 0 : s.leaseTransitions);
  }

  static Instant parse(String t) {
    if (t == null || t.isEmpty()) return null;
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException e) {
      return OffsetDateTime.parse(t).toInstant();
    }
  }
}
