package kubelab.raft;

/**
 * The answer to a ReadIndex request: once the state machine has applied {@code index}, a read
 * identified by {@code requestCtx} may be served linearizably (dissertation §6.4).
 */
public record ReadState(long index, byte[] requestCtx) {}
