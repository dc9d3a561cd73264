package kubelab.raft.scenario;

import java.nio.charset.StandardCharsets;

/** {@code read-index ID CTX}: node ID asks for a linearizable read point, identified by CTX. */
public final class ReadIndexCommand implements ScenarioCommand {
  @Override public String name() { return "read-index"; }
  @Override public String usage() { return "read-index ID CTX"; }
  @Override public String help() { return "Request a ReadIndex on node ID; the answer shows when it is safe to read."; }

  @Override
  public void run(ScenarioEnv env, Args args) {
    args.expectAtMost(2);
    env.running(args.id(0)).raw.readIndex(args.get(1).getBytes(StandardCharsets.UTF_8));
  }
}
