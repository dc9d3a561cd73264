package kubelab.raft.scenario;

/**
 * {@code stabilize [ID...] [verbose=true]}: handle every Ready and deliver every message until
 * the cluster is quiet (no time passes). With verbose, also print each Ready and each delivery.
 */
public final class StabilizeCommand implements ScenarioCommand {
  @Override public String name() { return "stabilize"; }
  @Override public String usage() { return "stabilize [ID...] [verbose=true]"; }
  @Override public String help() { return "Process Readys and deliver messages until nothing is left to do."; }

  @Override
  public void run(ScenarioEnv env, Args args) {
    env.stabilize(args.ids(0), args.flag("verbose", false));
  }
}
