package kubelab.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import kubelab.container.image.ImageConfig;
import kubelab.container.state.Json;
import org.junit.jupiter.api.Test;

/** Docker's flag syntax, its command rule, and the hand-written formats the runtime relies on. */
class FlagsAndFormatsTest {
  @Test
  void sizesFollowDockersUnits() {
    assertEquals(32L << 20, Units.parseBytes("32m", "--memory"));
    assertEquals(1L << 30, Units.parseBytes("1g", "--memory"));
    assertEquals(512, Units.parseBytes("512", "--memory"));
    ContainerException e = assertThrows(ContainerException.class, () -> Units.parseBytes("12q", "--memory"));
    assertEquals(125, e.exitCode());
    assertThrows(ContainerException.class, () -> Units.parseMemory("1m", "--memory")); // below Docker's 6m minimum
    assertEquals(-1, Units.parseSwap("-1"));
    assertEquals(50_000, Units.parseCpus("0.5"));
    assertThrows(ContainerException.class, () -> Units.parseCpus("0"));
    assertThrows(ContainerException.class, () -> Units.parseCpuset("1-", "--cpuset-cpus"));
    assertEquals(-1, Units.parsePids("0"));
  }

  @Test
  void theCommandIsEntrypointPlusCmdAndEntrypointOverrideDropsCmd() {
    ImageConfig ic = new ImageConfig(List.of(), List.of("echo", "hello"), List.of("world"), null, null, Map.of(), null, null);
    assertEquals(List.of("echo", "hello", "world"), LinuxRuntime.command(ContainerSpec.builder("x").build(), ic));
    assertEquals(List.of("echo", "hello", "you"), LinuxRuntime.command(ContainerSpec.builder("x").command("you").build(), ic));
    assertEquals(List.of("sh"), LinuxRuntime.command(ContainerSpec.builder("x").entrypoint(List.of("sh")).build(), ic));
  }

  @Test
  void volumesAndNetworkModesParseOrSayWhatIsWrong() {
    assertEquals(new ContainerSpec.Volume("/a", "/b", true), ContainerSpec.Volume.parse("/a:/b:ro"));
    assertThrows(ContainerException.class, () -> ContainerSpec.Volume.parse("rel:/b"));
    assertEquals("container", NetworkMode.parse("container:web").kind());
    assertThrows(ContainerException.class, () -> NetworkMode.parse("overlay"));
  }

  @Test
  void timestampsAreRfc3339WithNanoseconds() {
    for (long s : new long[] {0, 951782400L /* 2000-02-29 */, 1795390488L, 4102444800L}) {
      String t = Times.format(s, 123456789);
      assertEquals(Instant.ofEpochSecond(s, 123456789), Instant.parse(t), t);
      assertTrue(t.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z"), t);
    }
  }

  @Test
  void jsonRoundTripsWhatTheStateFilesHold() {
    String text = "{\"a\":[1,2.5,\"x\\\"y\\n\"],\"b\":{\"c\":true,\"d\":null},\"e\":-7}";
    Map<String, Object> m = Json.parseObject(text);
    assertEquals(text, Json.write(m, false));
    assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":"));
  }

  @Test
  void capabilitiesStartFromDockersDefaultSet() {
    assertEquals(0xa80425fbL, Caps.mask(List.of(), List.of()));
    assertEquals(0xa80425fbL | (1L << 25), Caps.mask(List.of("SYS_TIME"), List.of()));
    assertEquals(0, Caps.mask(List.of(), List.of("ALL")));
    assertThrows(ContainerException.class, () -> Caps.mask(List.of("NOPE"), List.of()));
  }
}
