package kubelab.apiserver.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.BiConsumer;
import kubelab.api.registry.ResourceType;
import kubelab.api.registry.Resources;
import kubelab.apiserver.Params;
import kubelab.apiserver.admission.Admission;
import kubelab.apiserver.registry.ObjectStore;
import kubelab.apiserver.registry.Strategy;

/**
 * The services every REST handler uses, built once per API server: the object store, the resource
 * table, per-kind strategies and defaulting, the admission chain, the schema checks and the clock.
 * Immutable after construction; thread-safe.
 */
public final class RestContext {
  public final ObjectStore store;
  public final Resources resources;
  public final Clock clock;
  public final Admission admission;
  public final BiConsumer<ResourceType, ObjectNode> defaults;
  public final Map<String, Strategy> strategies;
  public final SchemaCheck schema;
  public final PodStreams podStreams;
  private final Random random = new SecureRandom();

  public RestContext(ObjectStore store, Resources resources, Clock clock, Admission admission,
      BiConsumer<ResourceType, ObjectNode> defaults, Map<String, Strategy> strategies,
      SchemaCheck schema, PodStreams podStreams) {
    this.store = store;
    this.resources = resources;
    this.clock = clock;
    this.admission = admission;
    this.defaults = defaults;
    this.strategies = strategies;
    this.schema = schema;
    this.podStreams = podStreams;
  }

  public Strategy strategy(ResourceType t) {
    return strategies.getOrDefault(t.group() + "/" + t.plural(), Strategy.GENERIC);
  }

  public Instant now() {
    return clock.instant();
  }

  /** RFC 3339 with second precision in UTC, as metav1.Time marshals. */
  public String timestamp() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  public String newUid() {
    return UUID.randomUUID().toString();
  }

  /** The random suffix generateName gets (5 characters from the apiserver's alphabet). */
  public String nameSuffix() {
    StringBuilder b = new StringBuilder();
    synchronized (random) {
      for (int i = 0; i < Params.NAME_SUFFIX_LENGTH; i++) {
        b.append(Params.NAME_SUFFIX_ALPHABET.charAt(random.nextInt(Params.NAME_SUFFIX_ALPHABET.length())));
      }
    }
    return b.toString();
  }
}
