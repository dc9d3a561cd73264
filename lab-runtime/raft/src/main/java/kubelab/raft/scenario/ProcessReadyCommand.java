package kubelab.raft.scenario;

/** {@code process-ready ID...}: one round of the driver loop (persist, send, apply, advance) on each node, printed. */
public final class ProcessReadyCommand implements ScenarioCommand {
  @Override public String name() { return "process-ready"; }
  @Override public String usage() { return "process-ready ID..."; }
  @Override public String help() { return "Run one driver round (persist, send, apply, advance) on the nodes, printing the Ready."; }

  @Override
  public void run(ScenarioEnv env, Args args) {
    if (args.size() == 0) throw args.usageError("which nodes?");
    for (long id : args.ids(0)) {
      if (!env.processReady(env.running(id), true)) env.println(id + " has nothing ready");
    }
  }
}
