package kubelab.raft.scenario;

/** {@code deliver-msgs [ID...]}: deliver the messages now in flight (to the given nodes), printing each. */
public final class DeliverMsgsCommand implements ScenarioCommand {
  @Override public String name() { return "deliver-msgs"; }
  @Override public String usage() { return "deliver-msgs [ID...]"; }
  @Override public String help() { return "Deliver the messages in flight, one by one, without processing Readys."; }

  @Override
  public void run(ScenarioEnv env, Args args) {
    if (env.deliver(args.ids(0), true) == 0 && env.out.length() == 0) env.println("no messages");
  }
}
