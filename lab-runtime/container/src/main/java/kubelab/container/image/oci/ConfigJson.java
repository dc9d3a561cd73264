package kubelab.container.image.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kubelab.container.image.ImageConfig;

/**
 * The image config document (OCI image-spec config.md, which Docker's
 * {@code application/vnd.docker.container.image.v1+json} matches field for field): created,
 * architecture, os, the runtime {@code config} (Env, Entrypoint, Cmd, WorkingDir, User, Labels,
 * ExposedPorts, Volumes, StopSignal, and Docker's Healthcheck), {@code rootfs.diff_ids} and
 * {@code history}.
 *
 * <p>Kept as a Jackson tree: a config imported from elsewhere is stored byte for byte (its digest
 * is the image id), and a derived config (commit, build step) is a copy of the parent's tree with
 * only the changed fields replaced, so unknown fields survive.
 */
public final class ConfigJson {
  private ConfigJson() {}

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  /** One history entry: {@code empty_layer} marks config-only steps (CMD, ENV...), 0 B in history. */
  public record History(Instant created, String createdBy, String comment, boolean emptyLayer) {}

  /** A fresh config with no layers. */
  public static ObjectNode empty(Instant created) {
    ObjectNode n = F.objectNode();
    n.put("created", created.toString());
    n.put("architecture", goArch());
    n.put("os", "linux");
    n.set("config", F.objectNode());
    ObjectNode rootfs = n.putObject("rootfs");
    rootfs.put("type", "layers");
    rootfs.putArray("diff_ids");
    n.putArray("history");
    return n;
  }

  /** GOARCH spelling of this machine's architecture, as OCI wants it. */
  public static String goArch() {
    String a = System.getProperty("os.arch");
    return switch (a) {
      case "amd64", "x86_64" -> "amd64";
      case "aarch64", "arm64" -> "arm64";
      case "x86", "i386", "i686" -> "386";
      case "ppc64le" -> "ppc64le";
      case "s390x" -> "s390x";
      default -> a;
    };
  }

  public static Instant created(JsonNode cfg) {
    JsonNode c = cfg.get("created");
    if (c == null || !c.isTextual()) return Instant.EPOCH;
    try {
      return Instant.parse(c.asText());
    } catch (DateTimeParseException e) {
      try {
        return java.time.OffsetDateTime.parse(c.asText()).toInstant();
      } catch (DateTimeParseException e2) {
        return Instant.EPOCH;
      }
    }
  }

  public static List<String> diffIds(JsonNode cfg) {
    List<String> out = new ArrayList<>();
    JsonNode ids = cfg.path("rootfs").path("diff_ids");
    for (JsonNode id : ids) out.add(id.asText());
    return out;
  }

  public static List<History> history(JsonNode cfg) {
    List<History> out = new ArrayList<>();
    for (JsonNode h : cfg.path("history")) {
      Instant t = Instant.EPOCH;
      if (h.hasNonNull("created")) {
        try {
          t = Instant.parse(h.get("created").asText());
        } catch (DateTimeParseException ignored) {
          // leave the epoch
        }
      }
      out.add(new History(t, h.path("created_by").asText(""), h.path("comment").asText(""),
          h.path("empty_layer").asBoolean(false)));
    }
    return out;
  }

  /** The runtime part, with Docker's defaults for an absent config. */
  public static ImageConfig imageConfig(JsonNode cfg) {
    JsonNode c = cfg.path("config");
    ImageConfig.Healthcheck hc = null;
    JsonNode h = c.path("Healthcheck");
    if (h.isObject() && h.has("Test")) {
      hc = new ImageConfig.Healthcheck(strings(h.get("Test")), h.path("Interval").asLong(0), h.path("Timeout").asLong(0),
          h.path("StartPeriod").asLong(0), h.path("Retries").asInt(0));
    }
    Map<String, String> labels = new LinkedHashMap<>();
    c.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return new ImageConfig(
        c.has("Env") && c.get("Env").isArray() ? strings(c.get("Env")) : List.of(),
        c.has("Entrypoint") && c.get("Entrypoint").isArray() ? strings(c.get("Entrypoint")) : null,
        c.has("Cmd") && c.get("Cmd").isArray() ? strings(c.get("Cmd")) : null,
        text(c, "WorkingDir"),
        text(c, "User"),
        labels,
        hc,
        text(c, "StopSignal"));
  }

  /**
   * Writes {@code ic} into the tree's {@code config} object, leaving fields it does not model
   * (ExposedPorts, Volumes, OnBuild...) as they were. Empty values are removed, as Docker omits them.
   */
  public static void setImageConfig(ObjectNode cfg, ImageConfig ic) {
    ObjectNode c = cfg.has("config") && cfg.get("config").isObject() ? (ObjectNode) cfg.get("config") : cfg.putObject("config");
    putStrings(c, "Env", ic.env());
    putStrings(c, "Entrypoint", ic.entrypoint());
    putStrings(c, "Cmd", ic.cmd());
    putText(c, "WorkingDir", ic.workingDir());
    putText(c, "User", ic.user());
    if (ic.labels() == null || ic.labels().isEmpty()) {
      c.remove("Labels");
    } else {
      ObjectNode l = c.putObject("Labels");
      ic.labels().forEach(l::put);
    }
    putText(c, "StopSignal", ic.stopSignal());
    if (ic.healthcheck() == null) {
      c.remove("Healthcheck");
    } else {
      ObjectNode h = c.putObject("Healthcheck");
      ArrayNode t = h.putArray("Test");
      ic.healthcheck().test().forEach(t::add);
      if (ic.healthcheck().intervalNanos() > 0) h.put("Interval", ic.healthcheck().intervalNanos());
      if (ic.healthcheck().timeoutNanos() > 0) h.put("Timeout", ic.healthcheck().timeoutNanos());
      if (ic.healthcheck().startPeriodNanos() > 0) h.put("StartPeriod", ic.healthcheck().startPeriodNanos());
      if (ic.healthcheck().retries() > 0) h.put("Retries", ic.healthcheck().retries());
    }
  }

  /**
   * A child config: a deep copy of {@code parent} (or a fresh one) with the new runtime config, the
   * creation time, one more history entry, and {@code newDiffId} appended to the layers unless null
   * (an empty-layer step).
   */
  public static ObjectNode derive(JsonNode parent, ImageConfig ic, Instant created, String newDiffId, History history) {
    ObjectNode cfg = parent == null ? empty(created) : ((ObjectNode) parent).deepCopy();
    cfg.put("created", created.toString());
    if (!cfg.has("architecture")) cfg.put("architecture", goArch());
    if (!cfg.has("os")) cfg.put("os", "linux");
    setImageConfig(cfg, ic);
    ObjectNode rootfs = cfg.has("rootfs") && cfg.get("rootfs").isObject() ? (ObjectNode) cfg.get("rootfs") : cfg.putObject("rootfs");
    rootfs.put("type", "layers");
    ArrayNode ids = rootfs.has("diff_ids") && rootfs.get("diff_ids").isArray() ? (ArrayNode) rootfs.get("diff_ids") : rootfs.putArray("diff_ids");
    if (newDiffId != null) ids.add(newDiffId);
    // Move diff_ids after type, for the conventional order (cosmetic; the bytes stay deterministic).
    ArrayNode hist = cfg.has("history") && cfg.get("history").isArray() ? (ArrayNode) cfg.get("history") : cfg.putArray("history");
    if (history != null) {
      ObjectNode h = hist.addObject();
      h.put("created", history.created().toString());
      h.put("created_by", history.createdBy());
      if (history.comment() != null && !history.comment().isEmpty()) h.put("comment", history.comment());
      if (history.emptyLayer()) h.put("empty_layer", true);
    }
    return cfg;
  }

  public static List<String> strings(JsonNode arr) {
    List<String> out = new ArrayList<>();
    if (arr != null) for (JsonNode s : arr) out.add(s.asText());
    return out;
  }

  private static String text(JsonNode c, String field) {
    JsonNode v = c.get(field);
    return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
  }

  private static void putStrings(ObjectNode c, String field, List<String> v) {
    if (v == null || (v.isEmpty() && !field.equals("Entrypoint") && !field.equals("Cmd"))) {
      c.remove(field);
      return;
    }
    ArrayNode a = c.putArray(field);
    v.forEach(a::add);
  }

  private static void putText(ObjectNode c, String field, String v) {
    if (v == null || v.isEmpty()) c.remove(field);
    else c.put(field, v);
  }
}
