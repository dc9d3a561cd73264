package kubelab.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An object read from the store: its JSON tree (with metadata.resourceVersion set to the key's
 * mod revision, as Kubernetes does) and that revision as a number.
 *
 * <p>The tree is the caller's to change: every read decodes a fresh copy.
 */
public record Stored(ObjectNode object, long modRevision) {}
