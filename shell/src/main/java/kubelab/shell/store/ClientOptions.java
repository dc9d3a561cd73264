package kubelab.shell.store;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kubelab.store.StoreException;
import kubelab.store.client.FailoverKvStore;
import kubelab.store.client.RemoteKvStore;
import kubelab.store.server.Peers;
import picocli.CommandLine.Option;

/**
 * The options every client subcommand shares (etcdctl's global flags): where the store is, how to
 * print, how long to wait. {@code LAB_STORE_ENDPOINTS} sets the default endpoints.
 */
public final class ClientOptions {
  @Option(names = "--endpoints", paramLabel = "HOST:PORT,...",
      defaultValue = "${env:LAB_STORE_ENDPOINTS:-127.0.0.1:2379}",
      description = "Store members to talk to, comma-separated (default: ${DEFAULT-VALUE}).")
  String endpoints;

  @Option(names = {"-w", "--write-out"}, paramLabel = "FORMAT", defaultValue = "simple",
      description = "Output format: simple or json (etcdctl's; keys and values are base64 in json).")
  String writeOut;

  @Option(names = "--command-timeout", paramLabel = "DURATION", defaultValue = "10s",
      description = "How long to wait for an answer (default: ${DEFAULT-VALUE}).")
  String commandTimeout;

  boolean json() {
    if (!writeOut.equals("simple") && !writeOut.equals("json")) {
      throw new IllegalArgumentException("unsupported output format '" + writeOut + "': use simple or json");
    }
    return writeOut.equals("json");
  }

  List<InetSocketAddress> addresses() {
    List<InetSocketAddress> out = new ArrayList<>();
    for (String e : endpoints.split(",")) {
      e = e.trim();
      if (e.isEmpty()) continue;
      if (e.startsWith("http://")) e = e.substring(7);
      InetSocketAddress a = Peers.parseHostPort(e, "--endpoints");
      out.add(new InetSocketAddress(a.getHostString(), a.getPort()));
    }
    if (out.isEmpty()) throw new IllegalArgumentException("--endpoints is empty: give HOST:PORT of at least one store member");
    return out;
  }

  /**
   * A client over the endpoints. It moves to the next endpoint when one cannot be reached, but
   * gives up after two seconds of finding none, so "the store is not running" is said quickly.
   */
  FailoverKvStore connect() {
    List<RemoteKvStore> rs = new ArrayList<>();
    for (InetSocketAddress a : addresses()) rs.add(new RemoteKvStore(a));
    return new FailoverKvStore(rs, Math.min(2000, timeout().toMillis()));
  }

  Duration timeout() {
    return parseDuration(commandTimeout, "--command-timeout");
  }

  static Duration parseDuration(String s, String what) {
    try {
      if (s.endsWith("ms")) return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
      if (s.endsWith("s")) return Duration.ofMillis((long) (Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
      if (s.endsWith("m")) return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
      return Duration.ofSeconds(Long.parseLong(s));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad duration '" + s + "' for " + what + ": use e.g. 500ms, 5s or 1m");
    }
  }

  /** Waits for {@code f}; a store error becomes its own one-line message. */
  <T> T await(CompletableFuture<T> f) {
    try {
      return f.get(timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof StoreException s) throw s;
      throw new IllegalStateException(String.valueOf(c.getMessage()), c);
    } catch (TimeoutException e) {
      throw new StoreException(StoreException.Code.TIMEOUT, "no answer from " + endpoints + " within " + commandTimeout
          + " (is the store running? lab store status --endpoints ...)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }

  /** Parses a lease id as etcdctl prints it (hex). */
  static long leaseId(String s) {
    try {
      return Long.parseUnsignedLong(s, 16);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad lease id '" + s + "': lease ids are hex, as 'lab store lease grant' prints them");
    }
  }
}
