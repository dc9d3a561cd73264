package kubelab.api.schema;

import java.util.List;

/**
 * A field of an object type, with the patch metadata strategic merge patch needs
 * ({@code x-kubernetes-patch-strategy}, {@code x-kubernetes-patch-merge-key}) and the list
 * semantics of server-side apply ({@code x-kubernetes-list-type}, {@code x-kubernetes-list-map-keys}).
 *
 * @param patchStrategy "merge", "retainKeys", "merge,retainKeys", "replace" or "" (default: replace lists, merge maps)
 * @param mergeKey for lists of objects merged by a key (containers by name), else ""
 * @param proto the protobuf field number, or the path of numbers through inline-embedded
 *     messages (Volume's hostPath is field 1 of VolumeSource, which is field 2 of Volume); empty
 *     when the field has no protobuf form
 * @param keepZero whether a zero scalar on the wire is a value (Go pointer or no omitempty)
 */
public record Field(String name, Schema schema, boolean required, String patchStrategy, String mergeKey,
                    String listType, List<String> listMapKeys, String description, int[] proto, boolean keepZero) {

  public boolean mergeList() {
    return patchStrategy.contains("merge");
  }

  public boolean retainKeys() {
    return patchStrategy.contains("retainKeys");
  }
}
