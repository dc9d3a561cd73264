package kubelab.container;

import java.util.concurrent.ThreadLocalRandom;
import java.util.List;

/** Container ids (64 random hex digits, as Docker's) and generated names ("brave_lovelace"). */
public final class Names {
  private Names() {}

  private static final List<String> ADJECTIVES = List.of(
      "brave", "calm", "clever", "eager", "gentle", "happy", "jolly", "keen", "lucid", "merry", "nimble", "patient",
      "quiet", "rapid", "steady", "tidy", "upbeat", "vivid", "wise", "zealous", "bold", "crisp", "deft", "fair");

  /** People whose work containers and clusters stand on. */
  private static final List<String> PEOPLE = List.of(
      "lovelace", "turing", "hopper", "ritchie", "thompson", "torvalds", "lamport", "liskov", "dijkstra", "knuth",
      "hamilton", "allen", "backus", "cerf", "kahn", "mccarthy", "perlman", "shannon", "tanenbaum", "wirth",
      "ongaro", "ousterhout", "bach", "corbato");

  public static String newId() {
    // 256 random bits; ids need to be unique, not secret, and SecureRandom's set-up costs a
    // short command milliseconds (security providers).
    ThreadLocalRandom r = ThreadLocalRandom.current();
    StringBuilder sb = new StringBuilder(64);
    for (int i = 0; i < 4; i++) {
      String h = Long.toHexString(r.nextLong());
      for (int k = h.length(); k < 16; k++) sb.append('0');
      sb.append(h);
    }
    return sb.toString();
  }

  public static String generateName() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return ADJECTIVES.get(r.nextInt(ADJECTIVES.size())) + "_" + PEOPLE.get(r.nextInt(PEOPLE.size()));
  }

  /**
   * Docker's characters ([a-zA-Z0-9][a-zA-Z0-9_.-]*), but one character is enough: the lessons
   * name containers a, b and s (Docker itself wants two).
   */
  public static void validate(String name) {
    if (!name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*") || name.length() > 200)
      throw new ContainerException("invalid container name \"" + name + "\": use letters, digits, _ . and -, starting with a letter or digit");
  }
}
