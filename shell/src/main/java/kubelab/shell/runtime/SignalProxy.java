package kubelab.shell.runtime;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import kubelab.container.ContainerException;
import kubelab.container.LinuxRuntime;
import kubelab.container.sys.Signals;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Docker's {@code --sig-proxy} (on by default for a foreground {@code docker run}): a signal the
 * CLI receives (Ctrl-C is SIGINT; SIGTERM, SIGHUP) goes to the container's PID 1, and the CLI keeps
 * waiting for the container to exit and reports its exit code; {@code --rm} removes it afterwards.
 *
 * <p>A container's PID 1 with no handler for the signal ignores it (the kernel applies no default
 * action to a namespace's init), so Ctrl-C on {@code lab run busybox sleep 1000} changes nothing,
 * as with Docker. A second Ctrl-C (or SIGTERM) within {@link #FORCE_WINDOW_MS} kills the container
 * with SIGKILL; the first one says so on stderr.
 *
 * <p>Uses {@code sun.misc.Signal} (module jdk.unsupported, present in every JDK since 9): installing
 * a handler replaces the JVM's own, which would otherwise start the shutdown sequence. Signals the
 * JVM reserves for itself (QUIT for thread dumps, USR2 on Linux) are left alone. The handler runs
 * on a thread the JVM starts per signal; it only forwards, so it never blocks.
 */
final class SignalProxy implements AutoCloseable {
  /** A second signal this soon after the first one kills the container (ms). */
  static final long FORCE_WINDOW_MS = 2000;

  /** The signals forwarded, as Docker's CLI forwards every catchable one it can. */
  private static final List<String> FORWARDED = List.of("INT", "TERM", "HUP", "USR1");

  private final LinuxRuntime rt;
  private final String id;
  private final PrintWriter err;
  private final List<Signal> installed = new ArrayList<>();
  private final List<SignalHandler> previous = new ArrayList<>();
  private long lastStop;
  private boolean started;
  private int pending; // a signal that came before the container ran

  private SignalProxy(LinuxRuntime rt, String id, PrintWriter err) {
    this.rt = rt;
    this.id = id;
    this.err = err;
  }

  /** Starts forwarding signals to container {@code id} until {@link #close}. */
  static SignalProxy install(LinuxRuntime rt, String id, PrintWriter err) {
    SignalProxy p = new SignalProxy(rt, id, err);
    for (String name : FORWARDED) {
      try {
        Signal s = new Signal(name);
        // A SIGINT ignored since start-up (a background job of a script) would not reach us;
        // whoever sends it now means it for the container. SIGHUP ignored stays so (nohup).
        if (s.getNumber() == Signals.SIGINT) Signals.unignore(Signals.SIGINT);
        p.previous.add(Signal.handle(s, p::forward));
        p.installed.add(s);
      } catch (IllegalArgumentException e) {
        // reserved by the JVM here (or unknown): not forwarded
      }
    }
    return p;
  }

  /** The container runs: a signal that came during its start is delivered now. */
  synchronized void started() {
    started = true;
    if (pending != 0) {
      int sig = pending;
      pending = 0;
      deliver(sig);
    }
  }

  private synchronized void forward(Signal s) {
    if (!started) {
      pending = s.getNumber();
      return;
    }
    deliver(s.getNumber());
  }

  private void deliver(int sig) {
    boolean stopping = sig == Signals.SIGINT || sig == Signals.SIGTERM;
    long now = System.currentTimeMillis();
    try {
      if (stopping && lastStop != 0 && now - lastStop <= FORCE_WINDOW_MS) {
        rt.kill(id, Signals.SIGKILL);
        return;
      }
      rt.kill(id, sig);
      if (stopping) {
        if (lastStop == 0) {
          err.println("lab: sent " + Signals.name(sig) + " to the container's PID 1 (a PID 1 without a handler for it ignores it); "
              + (sig == Signals.SIGINT ? "Ctrl-C" : "the same signal") + " again within " + FORCE_WINDOW_MS / 1000 + " s kills it");
          err.flush();
        }
        lastStop = now;
      }
    } catch (ContainerException e) {
      // it exited meanwhile: the waiting thread reports how
    }
  }

  /** Gives the signals back to the JVM's handlers. */
  @Override
  public void close() {
    for (int i = 0; i < installed.size(); i++) Signal.handle(installed.get(i), previous.get(i));
  }
}
