package kubelab.container;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * The streams of an attached container or exec: its stdout and stderr are copied to
 * {@code out} and {@code err} as they come; {@code in}, when non-null and the container was
 * created with -i, is copied to its stdin until EOF. The runtime never closes these streams.
 */
public record Attach(InputStream in, OutputStream out, OutputStream err) {}
