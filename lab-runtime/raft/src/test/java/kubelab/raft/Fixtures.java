package kubelab.raft;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * Builders for unit tests of the core: a node with a given log and term, messages, and a way to
 * read the outbox. Nodes are built without PreVote and CheckQuorum (the paper's plain Raft)
 * unless a test turns them on.
 */
final class Fixtures {
  private Fixtures() {}

  static Config.Builder config(long id, long... peers) {
    return Config.builder(id).peers(peers).electionTick(10).heartbeatTick(1).preVote(false).checkQuorum(false)
        .random(new SplittableRandom(id));
  }

  /** A node whose persisted log holds {@code entries} (term/index pairs) at term {@code term}. */
  static RaftCore core(Config.Builder config, long term, List<Entry> entries) {
    MemoryStorage s = new MemoryStorage();
    s.append(entries);
    if (term > 0) s.setHardState(new HardState(term, 0, 0));
    return new RaftCore(config.build(), s);
  }

  static RaftCore core(long id, long... peers) {
    return core(config(id, peers), 0, List.of());
  }

  /** Entries with the given terms at indexes 1, 2, 3, ... */
  static List<Entry> log(long... terms) {
    List<Entry> out = new ArrayList<>();
    for (int i = 0; i < terms.length; i++) out.add(Entry.normal(terms[i], i + 1, ("e" + (i + 1)).getBytes(StandardCharsets.UTF_8)));
    return out;
  }

  static Entry entry(long term, long index) {
    return Entry.normal(term, index, ("e" + index).getBytes(StandardCharsets.UTF_8));
  }

  static Message.Builder msg(MessageType type, long from, long to, long term) {
    return Message.builder(type).from(from).to(to).term(term);
  }

  static List<Message> takeMsgs(RaftCore r) {
    return r.takeMessages();
  }

  static List<Message> takeMsgs(RaftCore r, MessageType type) {
    return r.takeMessages().stream().filter(m -> m.type() == type).toList();
  }

  /** Ticks until the node's randomized election timeout fires (at most 2 × electionTick). */
  static void tickElection(RaftCore r) {
    for (int i = 0; i < 2 * r.electionTimeout && r.role != Ready.Role.CANDIDATE && r.role != Ready.Role.PRE_CANDIDATE; i++) r.tick();
  }

  /** Makes {@code r} leader of a cluster whose other members all vote for it. */
  static void electLeader(RaftCore r) {
    r.step(msg(MessageType.HUP, r.id, r.id, 0).build());
    for (long peer : r.trk.voters) {
      if (peer != r.id) r.step(msg(MessageType.VOTE_RESP, peer, r.id, r.term).build());
    }
    if (r.role != Ready.Role.LEADER) throw new IllegalStateException("not elected: " + r.role);
    takeMsgs(r);
  }

  static UnaryOperator<Config.Builder> same() {
    return b -> b;
  }
}
