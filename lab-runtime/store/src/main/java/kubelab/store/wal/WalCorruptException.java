package kubelab.store.wal;

import java.io.IOException;

/**
 * The WAL is damaged in a way recovery must not paper over (a bad record followed by good ones,
 * a gap between snapshot and log, a file of another member): the member refuses to start. The
 * message names the file and offset, so an operator can look, restore from a backup, or remove
 * the member and re-add it empty.
 */
public final class WalCorruptException extends IOException {
  private static final long serialVersionUID = 1L;

  public WalCorruptException(String message) {
    super(message);
  }
}
