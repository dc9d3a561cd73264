package kubelab.raft.scenario;

/** {@code drop-msgs [from=ID] [to=ID] [type=APP]}: lose messages in flight that match. */
public final class DropMsgsCommand implements ScenarioCommand {
  @Override public String name() { return "drop-msgs"; }
  @Override public String usage() { return "drop-msgs [from=ID] [to=ID] [type=TYPE]"; }
  @Override public String help() { return "Lose the matching messages in flight."; }

  @Override
  public void run(ScenarioEnv env, Args args) {
    args.expectAtMost(0);
    String from = args.option("from", null);
    String to = args.option("to", null);
    String type = args.option("type", null);
    env.inflight.removeIf(m -> {
      boolean match = (from == null || Long.parseLong(from) == m.from())
          && (to == null || Long.parseLong(to) == m.to())
          && (type == null || m.type().name().equalsIgnoreCase(type));
      if (match) env.println("dropped " + Format.message(m));
      return match;
    });
  }
}
