package kubelab.raft.scenario;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.StringJoiner;
import kubelab.raft.ConfChange;
import kubelab.raft.Entry;
import kubelab.raft.Message;
import kubelab.raft.MessageType;

/**
 * One-line renderings of messages and entries, shared by the scenario scripts, the simulator's
 * verbose trace and the REPL. Entries are written {@code term/index data} as etcd's interaction
 * tests do (for example {@code 1/3 v1}); an empty normal entry (a new leader's no-op) is
 * {@code (empty)}.
 */
public final class Format {
  private Format() {}

  public static String entry(Entry e) {
    return e.term() + "/" + e.index() + " " + data(e);
  }

  public static String data(Entry e) {
    if (e.type() == Entry.Type.CONF_CHANGE) {
      ConfChange cc = ConfChange.decode(e.data());
      String op = switch (cc.type()) {
        case ADD_NODE -> "add";
        case REMOVE_NODE -> "remove";
        case ADD_LEARNER -> "add-learner";
      };
      return "conf-change " + op + " " + cc.nodeId();
    }
    if (e.data().length == 0) return "(empty)";
    return bytes(e.data());
  }

  /** Printable ASCII as is, anything else as a byte count. */
  public static String bytes(byte[] b) {
    for (byte x : b) {
      if (x < 0x20 || x > 0x7e) return "<" + b.length + " bytes>";
    }
    return new String(b, StandardCharsets.US_ASCII);
  }

  public static String entries(List<Entry> es) {
    StringJoiner j = new StringJoiner(", ", "[", "]");
    for (Entry e : es) j.add(entry(e));
    return j.toString();
  }

  /** For example {@code 1->2 APP term=1 log=1/2 commit=2 entries=[1/3 v1]}. */
  public static String message(Message m) {
    StringBuilder sb = new StringBuilder();
    sb.append(m.from()).append("->").append(m.to()).append(' ').append(m.type()).append(" term=").append(m.term());
    MessageType t = m.type();
    switch (t) {
      case VOTE, PRE_VOTE -> sb.append(" last=").append(m.logTerm()).append('/').append(m.index());
      case APP -> {
        sb.append(" log=").append(m.logTerm()).append('/').append(m.index()).append(" commit=").append(m.commit());
        if (!m.entries().isEmpty()) sb.append(" entries=").append(entries(m.entries()));
      }
      case APP_RESP -> {
        sb.append(" index=").append(m.index());
        if (m.reject()) sb.append(" reject hint=").append(m.logTerm()).append('/').append(m.rejectHint());
      }
      case HEARTBEAT -> sb.append(" commit=").append(m.commit());
      case SNAP -> sb.append(" snapshot=").append(m.snapshot().term()).append('/').append(m.snapshot().index());
      case PROP -> sb.append(" entries=").append(entries(m.entries()));
      case READ_INDEX_RESP -> sb.append(" index=").append(m.index());
      default -> {}
    }
    if ((t == MessageType.VOTE_RESP || t == MessageType.PRE_VOTE_RESP) && m.reject()) sb.append(" rejected");
    if (m.context().length > 0 && t != MessageType.VOTE && t != MessageType.PRE_VOTE) sb.append(" ctx=").append(bytes(m.context()));
    return sb.toString();
  }
}
