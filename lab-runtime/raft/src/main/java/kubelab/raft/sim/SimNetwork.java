package kubelab.raft.sim;

import java.util.TreeMap;
import kubelab.raft.Message;
import kubelab.raft.MessageType;
import kubelab.raft.Params;
import kubelab.raft.scenario.Format;

/**
 * The simulated network: every message gets a random delay (so messages reorder), and may be
 * lost or delivered twice; a partition drops whatever crosses it at delivery time. Snapshot
 * messages report their fate to the sender, as a real transport does
 * ({@link kubelab.raft.RawNode#reportSnapshot}).
 */
final class SimNetwork {
  private final Simulation sim;
  /** Partition group per node; empty when the network is whole. */
  final TreeMap<Long, Integer> groups = new TreeMap<>();
  long sent;
  long dropped;

  SimNetwork(Simulation sim) {
    this.sim = sim;
  }

  boolean connected(long a, long b) {
    if (groups.isEmpty()) return true;
    return groups.getOrDefault(a, 0).equals(groups.getOrDefault(b, 0));
  }

  int delay() {
    return Params.SIM_MIN_DELAY_MS + sim.rng.nextInt(Params.SIM_MAX_DELAY_MS - Params.SIM_MIN_DELAY_MS + 1);
  }

  void send(Message m) {
    sent++;
    if (sim.rng.nextDouble() < sim.options.dropRate()) {
      lost(m, "lost");
      return;
    }
    sim.schedule(delay(), new Simulation.Deliver(m));
    if (sim.rng.nextDouble() < sim.options.dupRate()) sim.schedule(delay(), new Simulation.Deliver(m));
  }

  void deliver(Message m) {
    SimNode to = sim.nodes.get(m.to());
    if (to == null || !to.up()) {
      lost(m, "dropped (" + m.to() + " is down)");
      return;
    }
    if (!connected(m.from(), m.to())) {
      lost(m, "dropped (partitioned)");
      SimNode from = sim.nodes.get(m.from());
      if (from.up() && m.type() == MessageType.APP) {
        from.raw.reportUnreachable(m.to());
        from.processReady();
      }
      return;
    }
    if (sim.tracing() && m.type() != MessageType.HEARTBEAT && m.type() != MessageType.HEARTBEAT_RESP) {
      sim.trace("deliver " + Format.message(m));
    }
    to.raw.step(m);
    if (m.type() == MessageType.SNAP) {
      sim.snapshotsDelivered++;
      sim.schedule(delay(), new Simulation.SnapReport(m.from(), m.to(), true));
    }
    to.processReady();
  }

  private void lost(Message m, String why) {
    dropped++;
    if (sim.tracing() && m.type() != MessageType.HEARTBEAT && m.type() != MessageType.HEARTBEAT_RESP) {
      sim.trace(why + " " + Format.message(m));
    }
    if (m.type() == MessageType.SNAP) sim.schedule(delay(), new Simulation.SnapReport(m.from(), m.to(), false));
  }
}
