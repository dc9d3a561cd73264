package kubelab.raft.scenario;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every scenario verb by name: the script runner and the REPL's {@code raft} command look them up here. */
public final class ScenarioCommands {
  private ScenarioCommands() {}

  private static final Map<String, ScenarioCommand> ALL = new LinkedHashMap<>();

  static {
    for (ScenarioCommand c : List.of(
        new AddNodesCommand(), new CampaignCommand(), new ProposeCommand(), new ProposeConfChangeCommand(),
        new StabilizeCommand(), new ProcessReadyCommand(), new DeliverMsgsCommand(), new DropMsgsCommand(),
        new PartitionCommand(), new HealCommand(), new TickElectionCommand(), new TickHeartbeatCommand(),
        new TickCommand(), new StatusCommand(), new LogCommand(), new TransferLeaderCommand(),
        new ReadIndexCommand(), new CrashCommand(), new RestartCommand(), new CompactCommand(),
        new MsgsCommand(), new StepCommand())) {
      ALL.put(c.name(), c);
    }
  }

  public static Map<String, ScenarioCommand> all() {
    return java.util.Collections.unmodifiableMap(ALL);
  }

  /** Runs one script line (verb and words) against {@code env} and returns what it printed. */
  public static String run(ScenarioEnv env, String line) {
    List<String> words = List.of(line.trim().split("\\s+"));
    ScenarioCommand c = ALL.get(words.get(0));
    if (c == null) throw new IllegalArgumentException("unknown verb '" + words.get(0) + "' (verbs: " + String.join(", ", ALL.keySet()) + ")");
    c.run(env, new Args(c.usage(), words.subList(1, words.size())));
    return env.takeOutput();
  }
}
