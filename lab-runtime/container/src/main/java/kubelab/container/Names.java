package kubelab.container;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/** Container ids (64 random hex digits, as Docker's) and generated names ("brave_lovelace"). */
public final class Names {
  private Names() {}

  private static final SecureRandom RANDOM = new SecureRandom();

  private static final List<String> ADJECTIVES = List.of(
      "brave", "calm", "clever", "eager", "gentle", "happy", "jolly", "keen", "lucid", "merry", "nimble", "patient",
      "quiet", "rapid", "steady", "tidy", "upbeat", "vivid", "wise", "zealous", "bold", "crisp", "deft", "fair");

  /** People whose work containers and clusters stand on. */
  private static final List<String> PEOPLE = List.of(
      "lovelace", "turing", "hopper", "ritchie", "thompson", "torvalds", "lamport", "liskov", "dijkstra", "knuth",
      "hamilton", "allen", "backus", "cerf", "kahn", "mccarthy", "perlman", "shannon", "tanenbaum", "wirth",
      "ongaro", "ousterhout", "bach", "corbato");

  public static String newId() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  public static String generateName() {
    return ADJECTIVES.get(RANDOM.nextInt(ADJECTIVES.size())) + "_" + PEOPLE.get(RANDOM.nextInt(PEOPLE.size()));
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
