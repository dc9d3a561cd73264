package kubelab.raft.scenario;

import kubelab.raft.Message;

/**
 * {@code step [N]}: deliver exactly one message in flight, the N-th of {@code msgs} (default: the
 * oldest), then let the receiver handle its Ready, printing both. Single-stepping Raft this way
 * shows, for example, the very message after which a write is committed.
 */
public final class StepCommand implements ScenarioCommand {
  @Override public String name() { return "step"; }
  @Override public String usage() { return "step [N]"; }
  @Override public String help() { return "Deliver one message in flight (the N-th listed by msgs, default the oldest) and handle the receiver's Ready."; }

  @Override
  public void run(ScenarioEnv env, Args args) {
    args.expectAtMost(1);
    if (env.inflight.isEmpty()) {
      env.println("no messages in flight");
      return;
    }
    int n = args.size() == 0 ? 1 : args.integer(0);
    if (n < 1 || n > env.inflight.size()) throw args.usageError("there are " + env.inflight.size() + " messages in flight; N must be 1 to " + env.inflight.size());
    Message m = env.inflight.remove(n - 1);
    ScenarioEnv.Node to = env.nodes.get(m.to());
    if (to == null || to.crashed() || !env.connected(m.from(), m.to())) {
      env.println("dropped " + Format.message(m));
      return;
    }
    env.println("deliver " + Format.message(m));
    to.raw.step(m);
    while (env.processReady(to, true)) {
      // the receiver persists, sends and applies
    }
  }
}
