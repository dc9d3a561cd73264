package kubelab.api.meta;

/** metadata of a list: the store revision it was read at and the continue token for paging. */
public class ListMeta extends Extensible {
  public String resourceVersion;
  @com.fasterxml.jackson.annotation.JsonProperty("continue")
  public String continueToken;
  public Long remainingItemCount;
}
