package kubelab.raft.scenario;

/** {@code msgs}: list the messages in flight, numbered, oldest first (what {@code step N} delivers). */
public final class MsgsCommand implements ScenarioCommand {
  @Override public String name() { return "msgs"; }
  @Override public String usage() { return "msgs"; }
  @Override public String help() { return "List the messages in flight, numbered from 1, oldest first."; }

  @Override
  public void run(ScenarioEnv env, Args args) {
    args.expectAtMost(0);
    if (env.inflight.isEmpty()) env.println("no messages in flight");
    for (int i = 0; i < env.inflight.size(); i++) env.println((i + 1) + ". " + Format.message(env.inflight.get(i)));
  }
}
