package kubelab.raft.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * {@code partition 1 | 2 3}: split the network into groups; messages cross no boundary (those
 * already in flight are lost when delivered across it). Nodes not named form one more group.
 */
public final class PartitionCommand implements ScenarioCommand {
  @Override public String name() { return "partition"; }
  @Override public String usage() { return "partition ID... | ID... [| ...]"; }
  @Override public String help() { return "Split the network into groups that cannot talk to each other."; }

  @Override
  public void run(ScenarioEnv env, Args args) {
    TreeMap<Long, Integer> groups = new TreeMap<>();
    int g = 0;
    for (String w : args.positional()) {
      if (w.equals("|")) { g++; continue; }
      long id;
      try { id = Long.parseLong(w); } catch (NumberFormatException e) { throw args.usageError("'" + w + "' is not a node id"); }
      env.node(id);
      if (groups.put(id, g) != null) throw args.usageError("node " + id + " is named twice");
    }
    if (g == 0) throw args.usageError("name at least two groups, separated by |");
    for (long id : env.nodes.keySet()) groups.putIfAbsent(id, g + 1);
    env.groups.clear();
    env.groups.putAll(groups);
    List<String> parts = new ArrayList<>();
    for (int i = 0; i <= g + 1; i++) {
      List<Long> members = new ArrayList<>();
      for (var e : groups.entrySet()) if (e.getValue() == i) members.add(e.getKey());
      if (!members.isEmpty()) parts.add(members.toString().replaceAll("[\\[\\],]", ""));
    }
    env.println("partitioned: " + String.join(" | ", parts));
  }
}
