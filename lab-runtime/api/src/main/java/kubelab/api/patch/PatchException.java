package kubelab.api.patch;

/**
 * A patch that cannot be applied. {@link #badRequest()} says whether the patch document itself is
 * malformed (400 BadRequest) or well-formed but not applicable to the object (422, as
 * kube-apiserver answers a failed JSON patch {@code test} or a missing path).
 */
public final class PatchException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final boolean badRequest;

  public PatchException(String message, boolean badRequest) {
    super(message);
    this.badRequest = badRequest;
  }

  public boolean badRequest() {
    return badRequest;
  }
}
