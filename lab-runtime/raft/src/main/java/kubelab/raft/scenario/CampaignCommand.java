package kubelab.raft.scenario;

/** {@code campaign ID}: node ID starts an election now, as if its election timer fired (HUP). */
public final class CampaignCommand implements ScenarioCommand {
  @Override public String name() { return "campaign"; }
  @Override public String usage() { return "campaign ID"; }
  @Override public String help() { return "Make node ID start an election now."; }

  @Override
  public void run(ScenarioEnv env, Args args) {
    args.expectAtMost(1);
    env.running(args.id(0)).raw.campaign();
  }
}
