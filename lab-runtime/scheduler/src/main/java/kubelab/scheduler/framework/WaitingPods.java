package kubelab.scheduler.framework;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Pods a Permit plugin told to WAIT: they sit between the scheduling and the binding cycle until a
 * plugin calls {@link #allow} or {@link #reject}, or their timeout rejects them. Thread-safe.
 */
public final class WaitingPods {
  private final Map<String, CompletableFuture<Status>> waiting = new ConcurrentHashMap<>();

  /** Registers a waiting pod (by key); called on the scheduling thread after Permit said WAIT. */
  public void add(String podKey) {
    waiting.put(podKey, new CompletableFuture<>());
  }

  public void allow(String podKey) {
    CompletableFuture<Status> f = waiting.get(podKey);
    if (f != null) f.complete(Status.SUCCESS);
  }

  public void reject(String podKey, String plugin, String message) {
    CompletableFuture<Status> f = waiting.get(podKey);
    if (f != null) f.complete(Status.unschedulable(message).withPlugin(plugin));
  }

  public boolean isWaiting(String podKey) {
    return waiting.containsKey(podKey);
  }

  /**
   * Blocks the binding cycle until the pod is allowed, rejected, or {@code timeout} passes
   * (then: rejected "rejected due to timeout after waiting ..."). Removes the entry.
   */
  public Status await(String podKey, Duration timeout) {
    CompletableFuture<Status> f = waiting.get(podKey);
    if (f == null) return Status.SUCCESS;
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return Status.unschedulable("rejected due to timeout after waiting " + timeout.toSeconds() + "s at plugin Permit");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Status.error("interrupted while waiting at Permit");
    } catch (ExecutionException e) {
      return Status.error(String.valueOf(e.getCause()));
    } finally {
      waiting.remove(podKey);
    }
  }
}
