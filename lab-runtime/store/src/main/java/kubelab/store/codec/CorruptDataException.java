package kubelab.store.codec;

/** Bytes that do not decode: a damaged record, a frame from another protocol, a bug. */
public final class CorruptDataException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CorruptDataException(String message) {
    super(message);
  }
}
