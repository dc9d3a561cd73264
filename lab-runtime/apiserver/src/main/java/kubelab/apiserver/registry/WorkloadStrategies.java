package kubelab.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import kubelab.api.validation.FieldError;
import kubelab.api.validation.WorkloadValidation;

/**
 * Deployments, ReplicaSets, DaemonSets, StatefulSets, Jobs and CronJobs (apps/v1 and batch/v1
 * strategies, Kubernetes 1.32): status starts empty (their controllers fill it), specs are
 * validated, and the selector cannot change. A Job gets a generated selector and pod labels
 * ({@code batch.kubernetes.io/controller-uid}, {@code batch.kubernetes.io/job-name}) unless it
 * asks for manualSelector.
 */
final class WorkloadStrategies {
  private WorkloadStrategies() {}

  static Strategy deployment() {
    return new Workload() {
      @Override
      public List<FieldError> validate(ObjectNode obj) {
        return WorkloadValidation.deployment(obj.path("spec"));
      }
    };
  }

  static Strategy replicaSet() {
    return new Workload() {
      @Override
      public List<FieldError> validate(ObjectNode obj) {
        return WorkloadValidation.spec(obj.path("spec"), "replicaset", true, List.of("Always"));
      }
    };
  }

  static Strategy daemonSet() {
    return new Workload() {
      @Override
      public List<FieldError> validate(ObjectNode obj) {
        return WorkloadValidation.spec(obj.path("spec"), "daemonset", false, List.of("Always"));
      }
    };
  }

  static Strategy statefulSet() {
    return new Workload() {
      @Override
      public List<FieldError> validate(ObjectNode obj) {
        return WorkloadValidation.spec(obj.path("spec"), "statefulset", true, List.of("Always"));
      }
    };
  }

  /** Status reset on create; selector immutable. */
  private abstract static class Workload implements Strategy {
    @Override
    public void prepareForCreate(ObjectNode obj) {
      obj.putObject("status");
    }

    @Override
    public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
      List<FieldError> errs = new ArrayList<>(validate(obj));
      errs.addAll(WorkloadValidation.selectorImmutable(obj.path("spec"), old.path("spec")));
      return errs;
    }
  }

  static Strategy job() {
    return new Strategy() {
      @Override
      public void prepareForCreate(ObjectNode job) {
        job.putObject("status");
        ObjectNode spec = job.with("spec");
        if (spec.path("manualSelector").asBoolean(false)) return;
        String uid = job.path("metadata").path("uid").asText();
        String name = job.path("metadata").path("name").asText("");
        ObjectNode tmplMeta = ((ObjectNode) spec.with("template")).with("metadata");
        ObjectNode labels = tmplMeta.with("labels");
        labels.put("batch.kubernetes.io/controller-uid", uid);
        labels.put("batch.kubernetes.io/job-name", name);
        labels.put("controller-uid", uid);
        labels.put("job-name", name);
        ObjectNode sel = spec.putObject("selector");
        sel.putObject("matchLabels").put("batch.kubernetes.io/controller-uid", uid);
      }

      @Override
      public List<FieldError> validate(ObjectNode job) {
        return WorkloadValidation.job(job.path("spec"), false);
      }

      @Override
      public List<FieldError> validateUpdate(ObjectNode job, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(validate(job));
        errs.addAll(WorkloadValidation.jobUpdate(job.path("spec"), old.path("spec")));
        return errs;
      }

      @Override
      public String defaultPropagationPolicy() {
        return "Background";
      }
    };
  }

  static Strategy cronJob() {
    return new Strategy() {
      @Override
      public void prepareForCreate(ObjectNode obj) {
        obj.putObject("status");
      }

      @Override
      public List<FieldError> validate(ObjectNode obj) {
        return WorkloadValidation.cronJob(obj);
      }
    };
  }

}
