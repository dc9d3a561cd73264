package kubelab.scheduler.server;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import kubelab.api.Json;
import kubelab.api.core.ObjectReference;
import kubelab.api.core.PersistentVolume;
import kubelab.api.core.PersistentVolumeClaim;
import kubelab.api.core.Pod;
import kubelab.api.meta.Condition;
import kubelab.client.ApiException;
import kubelab.client.DeleteOptions;
import kubelab.client.KubeClient;
import kubelab.client.PatchType;
import kubelab.client.ResourceType;
import kubelab.client.events.EventRecorder;
import kubelab.scheduler.framework.ApiWriter;

/**
 * The scheduler's writes through the API server (the real {@link ApiWriter}):
 *
 * <ul>
 *   <li>bind: {@code POST /api/v1/namespaces/NS/pods/NAME/binding} with the pod's uid;
 *   <li>events: through the client's event recorder (aggregated, rate-limited, posted by the
 *       broadcaster's thread), source "default-scheduler";
 *   <li>status: a JSON merge patch of {@code status.conditions} (the whole list, with the
 *       PodScheduled condition replaced) and {@code status.nominatedNodeName}, skipped when
 *       nothing would change, as kube-scheduler's updatePod does;
 *   <li>victims: DELETE with the pod's grace period and a uid precondition, so a recreated pod of
 *       the same name is never hit; a pod already gone is fine;
 *   <li>volumes: PV {@code claimRef} and PVC {@code volumeName} through merge patches.
 * </ul>
 * Thread-safe (the client is); failures surface as {@code KubeClientException}s with the
 * server's message.
 */
public final class ClientApiWriter implements ApiWriter {
  private static final ResourceType<PersistentVolume> PVS =
      ResourceType.of("", "v1", "persistentvolumes", "PersistentVolume", false, PersistentVolume.class);
  private static final ResourceType<PersistentVolumeClaim> PVCS =
      ResourceType.of("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true, PersistentVolumeClaim.class);

  private final KubeClient client;
  private final EventRecorder recorder;
  private final Clock clock;

  public ClientApiWriter(KubeClient client, EventRecorder recorder, Clock clock) {
    this.client = client;
    this.recorder = recorder;
    this.clock = clock;
  }

  private static String ns(Pod p) {
    return p.metadata.namespace == null ? "default" : p.metadata.namespace;
  }

  @Override
  public void bind(Pod pod, String nodeName) {
    client.pods(ns(pod)).bind(ns(pod), pod.metadata.name, pod.metadata.uid, nodeName);
  }

  @Override
  public void event(Pod regarding, String type, String reason, String action, String message) {
    recorder.event(regarding, type, reason, message);
  }

  @Override
  public void updatePodStatus(Pod pod, Condition condition, String nominatedNodeName) {
    List<Condition> current = pod.status == null || pod.status.conditions == null ? List.of() : pod.status.conditions;
    String currentNominated = pod.status == null ? null : pod.status.nominatedNodeName;
    Map<String, Object> status = new LinkedHashMap<>();
    if (condition != null) {
      List<Object> out = new ArrayList<>();
      boolean changed = true;
      for (Condition c : current) {
        if (condition.type.equals(c.type)) {
          changed = !Objects.equals(c.status, condition.status) || !Objects.equals(c.reason, condition.reason)
              || !Objects.equals(c.message, condition.message);
          continue;
        }
        out.add(Json.tree(c));
      }
      if (changed) {
        Condition n = new Condition(condition.type, condition.status, condition.reason, condition.message);
        String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
        n.lastProbeTime = null;
        n.lastTransitionTime = now;
        for (Condition c : current) {
          if (condition.type.equals(c.type) && Objects.equals(c.status, condition.status) && c.lastTransitionTime != null) {
            n.lastTransitionTime = c.lastTransitionTime;
          }
        }
        out.add(Json.tree(n));
        status.put("conditions", out);
      }
    }
    if (nominatedNodeName != null) {
      String want = nominatedNodeName.isEmpty() ? null : nominatedNodeName;
      if (!Objects.equals(want, currentNominated == null || currentNominated.isEmpty() ? null : currentNominated)) {
        status.put("nominatedNodeName", want);
      }
    }
    if (status.isEmpty()) return;
    Map<String, Object> patch = new LinkedHashMap<>();
    patch.put("status", status);
    try {
      client.pods(ns(pod)).patchStatus(pod.metadata.name, PatchType.MERGE, nullsKept(patch));
    } catch (ApiException.NotFound gone) {
      // deleted meanwhile: nothing to tell it
    }
  }

  /** Serializes a merge patch keeping explicit nulls (a null deletes the field in RFC 7386). */
  private static String nullsKept(Map<String, Object> patch) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(patch);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void deletePod(Pod pod, long gracePeriodSeconds) {
    try {
      client.pods(ns(pod)).delete(pod.metadata.name, DeleteOptions.gracePeriod(gracePeriodSeconds).withPreconditionUid(pod.metadata.uid));
    } catch (ApiException.NotFound gone) {
      // already deleted
    }
  }

  @Override
  public void bindVolume(PersistentVolume pv, PersistentVolumeClaim pvc) {
    ObjectReference ref = new ObjectReference("PersistentVolumeClaim", pvc.metadata.namespace, pvc.metadata.name);
    ref.apiVersion = "v1";
    ref.uid = pvc.metadata.uid;
    client.resource(PVS).patch(pv.metadata.name, PatchType.MERGE, Json.toJson(Map.of("spec", Map.of("claimRef", ref))));
    client.resource(PVCS).inNamespace(pvc.metadata.namespace)
        .patch(pvc.metadata.name, PatchType.MERGE, Json.toJson(Map.of("spec", Map.of("volumeName", pv.metadata.name))));
  }
}
