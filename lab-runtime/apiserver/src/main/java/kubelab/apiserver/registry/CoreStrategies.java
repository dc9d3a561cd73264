package kubelab.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import kubelab.api.validation.CoreValidation;
import kubelab.api.validation.FieldError;

/**
 * The strategies of the smaller kinds: ConfigMaps and Secrets (key rules, immutability, a
 * Secret's write-only stringData folded into data), Nodes, PriorityClasses, RBAC roles and
 * bindings, LimitRanges, ResourceQuotas, PodDisruptionBudgets and Events.
 */
final class CoreStrategies {
  private CoreStrategies() {}

  static Strategy configMap() {
    return new Strategy() {
      @Override
      public List<FieldError> validate(ObjectNode obj) {
        return CoreValidation.configMap(obj);
      }

      @Override
      public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(validate(obj));
        errs.addAll(CoreValidation.immutableData(obj, old, "data", "binaryData"));
        return errs;
      }
    };
  }

  static Strategy secret() {
    return new Strategy() {
      @Override
      public void prepareForCreate(ObjectNode obj) {
        foldStringData(obj);
      }

      @Override
      public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        foldStringData(obj);
      }

      @Override
      public List<FieldError> validate(ObjectNode obj) {
        return CoreValidation.secret(obj);
      }

      @Override
      public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        return CoreValidation.secretUpdate(obj, old);
      }
    };
  }

  /** stringData is write-only: merged into data (base64), then dropped, as the Secret strategy does. */
  static void foldStringData(ObjectNode secret) {
    JsonNode sd = secret.remove("stringData");
    if (sd == null || !sd.isObject()) return;
    ObjectNode data = secret.with("data");
    for (Iterator<Map.Entry<String, JsonNode>> it = sd.fields(); it.hasNext(); ) {
      var e = it.next();
      data.put(e.getKey(), Base64.getEncoder().encodeToString(e.getValue().asText("").getBytes(StandardCharsets.UTF_8)));
    }
  }

  static Strategy node() {
    return new Strategy() {
      @Override
      public List<FieldError> validate(ObjectNode obj) {
        return CoreValidation.node(obj);
      }
    };
  }

  static Strategy priorityClass() {
    return new Strategy() {
      @Override
      public List<FieldError> validate(ObjectNode obj) {
        String n = obj.path("metadata").path("name").asText("");
        boolean builtin = n.equals("system-cluster-critical") || n.equals("system-node-critical");
        return CoreValidation.priorityClass(obj, builtin);
      }

      @Override
      public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        List<FieldError> errs = new ArrayList<>(validate(obj));
        errs.addAll(CoreValidation.priorityClassUpdate(obj, old));
        return errs;
      }
    };
  }

  static Strategy role(boolean cluster) {
    return new Strategy() {
      @Override
      public List<FieldError> validate(ObjectNode obj) {
        return CoreValidation.rules(obj.path("rules"), !cluster);
      }
    };
  }

  static Strategy binding(boolean cluster) {
    return new Strategy() {
      @Override
      public List<FieldError> validate(ObjectNode obj) {
        return CoreValidation.binding(obj, cluster);
      }

      @Override
      public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        return CoreValidation.bindingUpdate(obj, old, cluster);
      }
    };
  }

  static Strategy limitRange() {
    return new Strategy() {
      @Override
      public List<FieldError> validate(ObjectNode obj) {
        return CoreValidation.limitRange(obj);
      }
    };
  }

  static Strategy resourceQuota() {
    return new Strategy() {
      @Override
      public void prepareForCreate(ObjectNode obj) {
        obj.putObject("status");
      }

      @Override
      public List<FieldError> validate(ObjectNode obj) {
        return CoreValidation.resourceQuota(obj);
      }
    };
  }

  static Strategy podDisruptionBudget() {
    return new Strategy() {
      @Override
      public void prepareForCreate(ObjectNode obj) {
        ObjectNode st = obj.putObject("status");
        st.put("disruptionsAllowed", 0);
        st.put("currentHealthy", 0);
        st.put("desiredHealthy", 0);
        st.put("expectedPods", 0);
      }

      @Override
      public List<FieldError> validate(ObjectNode obj) {
        return CoreValidation.podDisruptionBudget(obj);
      }
    };
  }

  static Strategy event() {
    return new Strategy() {
      @Override
      public List<FieldError> validate(ObjectNode obj) {
        return CoreValidation.event(obj);
      }
    };
  }
}
