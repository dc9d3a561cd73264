package kubelab.store.wal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import kubelab.raft.ConfState;
import kubelab.raft.Entry;
import kubelab.raft.HardState;
import kubelab.raft.Snapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WAL keeps what was synced, survives a torn last write, and refuses (naming file and offset)
 * rather than silently dropping records after a corrupt one. Corruption is injected byte by byte.
 */
class WalTest {
  @TempDir Path tmp;

  private static final byte[] META = "cluster=c1 member=1".getBytes();
  private static final long SEGMENT = 2048;

  private static Entry entry(long term, long index) {
    byte[] data = new byte[20 + (int) (index % 7)];
    for (int i = 0; i < data.length; i++) data[i] = (byte) (index * 31 + i);
    return Entry.normal(term, index, data);
  }

  /** Writes entries 1..n, one record each with a hard state after each; syncs once at the end (recovery reads the page cache either way). */
  private static List<Entry> writeEntries(Path dir, int n) throws IOException {
    List<Entry> all = new ArrayList<>();
    try (Wal w = Wal.create(dir, META, SEGMENT)) {
      for (int i = 1; i <= n; i++) {
        Entry e = entry(1, i);
        all.add(e);
        w.save(new HardState(1, 1, i - 1), List.of(e), i == n);
      }
    }
    return all;
  }

  private static void assertSameEntries(List<Entry> want, List<Entry> got) {
    assertEquals(want.size(), got.size(), "entry count");
    for (int i = 0; i < want.size(); i++) {
      assertEquals(want.get(i).index(), got.get(i).index());
      assertEquals(want.get(i).term(), got.get(i).term());
      assertArrayEquals(want.get(i).data(), got.get(i).data());
    }
  }

  @Test
  void whatWasSyncedIsRecoveredAcrossSegments() throws IOException {
    Path dir = tmp.resolve("wal");
    List<Entry> all = writeEntries(dir, 100);
    assertTrue(Wal.segments(dir).size() > 2, "small segments force several cuts");
    Wal.Opened o = Wal.open(dir, SEGMENT);
    try (Wal w = o.wal()) {
      assertArrayEquals(META, o.metadata());
      assertSameEntries(all, o.entries());
      assertEquals(new HardState(1, 1, 99), o.state());
      assertNull(o.warning());
      // Appending after recovery continues the log.
      w.save(new HardState(2, 1, 100), List.of(entry(2, 101)), true);
    }
    Wal.Opened again = Wal.open(dir, SEGMENT);
    again.wal().close();
    assertEquals(101, again.entries().size());
    assertEquals(2, again.state().term());
  }

  @Test
  void aLaterEntryAtAnEarlierIndexReplacesTheConflictingTail_5_3() throws IOException {
    Path dir = tmp.resolve("wal");
    try (Wal w = Wal.create(dir, META, SEGMENT)) {
      List<Entry> es = new ArrayList<>();
      for (int i = 1; i <= 10; i++) es.add(entry(1, i));
      w.save(new HardState(1, 1, 5), es, true);
      w.save(new HardState(2, 2, 5), List.of(entry(2, 6), entry(2, 7)), true);
    }
    Wal.Opened o = Wal.open(dir, SEGMENT);
    o.wal().close();
    assertEquals(7, o.entries().size());
    assertEquals(1, o.entries().get(4).term());
    assertEquals(2, o.entries().get(5).term());
    assertEquals(2, o.entries().get(6).term());
  }

  @Test
  void aTruncatedLastSegmentRecoversEveryCompleteRecordAtEveryCutPoint() throws IOException {
    Path dir = tmp.resolve("wal");
    writeEntries(dir, 30);
    List<WalReader.Segment> segs = Wal.segments(dir);
    Path last = segs.get(segs.size() - 1).path();
    byte[] orig = Files.readAllBytes(last);
    int dataEnd = dataEnd(orig);
    Wal.Opened full = Wal.open(dir, SEGMENT);
    full.wal().close();
    int lastCount = full.entries().size();
    List<Integer> starts = recordStarts(orig);
    int metadataEnd = starts.get(1);
    try (Scratch copy = new Scratch(dir)) {
      for (int cut = 0; cut < dataEnd; cut++) {
        byte[] b = orig.clone();
        java.util.Arrays.fill(b, cut, b.length, (byte) 0); // the write stopped at `cut`
        copy.write(last.getFileName().toString(), b, cut, b.length - cut);
        Wal.Opened o;
        try {
          o = Wal.open(copy.dir, SEGMENT);
        } catch (WalCorruptException e) {
          copy.restore();
          if (cut < metadataEnd && segs.size() == 1) continue; // the only metadata record is gone: nothing to start from
          throw new AssertionError("cut at " + cut + " refused: " + e.getMessage(), e);
        }
        o.wal().close();
        copy.restore();
        assertTrue(o.entries().size() <= lastCount);
        assertSameEntries(full.entries().subList(0, o.entries().size()), o.entries());
        // A cut in the middle of a record is reported, unless what is left of it is all zeros (then it
        // looks exactly like the clean end of a preallocated segment, and nothing of it was complete).
        int start = recordStartOf(starts, cut);
        boolean stillValid = WalFormat.validAt(b, start, b.length) > 0; // the zeroed bytes were zeros already
        if (!starts.contains(cut) && dataEnd != cut && !stillValid && !WalFormat.allZero(orig, start, cut)) {
          assertNotNull(o.warning(), "cut at " + cut);
        }
      }
    }
  }

  @Test
  void everySingleByteCorruptionIsRefusedOrOnlyDropsTheTornLastRecord() throws IOException {
    Path dir = tmp.resolve("wal");
    writeEntries(dir, 24);
    List<WalReader.Segment> segs = Wal.segments(dir);
    Wal.Opened full = Wal.open(dir, SEGMENT);
    full.wal().close();
    int refused = 0, torn = 0;
    try (Scratch copy = new Scratch(dir)) {
      for (int s = 0; s < segs.size(); s++) {
        Path seg = segs.get(s).path();
        String name = seg.getFileName().toString();
        byte[] orig = Files.readAllBytes(seg);
        int end = dataEnd(orig);
        List<Integer> starts = recordStarts(orig);
        int lastRecordStart = starts.get(starts.size() - 1);
        boolean lastSegment = s == segs.size() - 1;
        for (int off = 0; off < end; off++) {
          byte[] b = orig.clone();
          b[off] ^= 0x5A;
          copy.write(name, b, off, 1);
          int recordStart = recordStartOf(starts, off);
          try {
            Wal.Opened o = Wal.open(copy.dir, SEGMENT);
            o.wal().close();
            // Accepted: only allowed when the damaged record is the very last one of the WAL.
            assertTrue(lastSegment && recordStart == lastRecordStart,
                "corruption at " + name + ":" + off + " was accepted silently");
            assertNotNull(o.warning());
            assertTrue(o.warning().contains("offset " + recordStart), o.warning());
            assertSameEntries(full.entries().subList(0, o.entries().size()), o.entries());
            assertTrue(full.entries().size() - o.entries().size() <= 1, "at most the last record is dropped");
            torn++;
          } catch (WalCorruptException e) {
            assertFalse(lastSegment && recordStart == lastRecordStart && !e.getMessage().contains("metadata"),
                "a damaged last record is a torn write, not a refusal: " + e.getMessage());
            assertTrue(e.getMessage().contains(name), e.getMessage());
            assertTrue(e.getMessage().contains("offset " + recordStart) || e.getMessage().contains("metadata"), e.getMessage());
            refused++;
          } finally {
            copy.restore();
          }
        }
      }
    }
    assertTrue(refused > 100 && torn > 10, "refused " + refused + ", torn " + torn);
  }

  @Test
  void aBrokenSnapshotFileIsSetAsideAndAnOlderOneIsUsed() throws IOException {
    SnapshotFiles snaps = new SnapshotFiles(tmp.resolve("snap"));
    snaps.save(new Snapshot(10, 1, ConfState.of(1, 2, 3), "ten".getBytes()));
    snaps.save(new Snapshot(20, 2, ConfState.of(1, 2, 3), "twenty".getBytes()));
    assertEquals(20, snaps.loadNewest().index());
    Path newest = tmp.resolve("snap").resolve(String.format("%016x-%016x.snap", 2, 20));
    byte[] b = Files.readAllBytes(newest);
    b[b.length - 2] ^= 1;
    Files.write(newest, b);
    Snapshot s = snaps.loadNewest();
    assertEquals(10, s.index());
    assertArrayEquals("ten".getBytes(), s.data());
    assertEquals(List.of(1L, 2L, 3L), s.confState().voters());
    assertEquals(1, snaps.warnings().size());
    assertTrue(Files.exists(newest.resolveSibling(newest.getFileName() + ".broken")));
  }

  @Test
  void releasingSegmentsKeepsTheOneHoldingTheSnapshotIndex() throws IOException {
    Path dir = tmp.resolve("wal");
    writeEntries(dir, 100);
    int before = Wal.segments(dir).size();
    Wal.Opened o = Wal.open(dir, SEGMENT);
    o.wal().releaseTo(60, 0);
    o.wal().close();
    List<WalReader.Segment> after = Wal.segments(dir);
    assertTrue(after.size() < before);
    Wal.Opened again = Wal.open(dir, SEGMENT);
    again.wal().close();
    assertTrue(again.entries().get(0).index() <= 61, "entry 61 onwards survive: first is " + again.entries().get(0).index());
    assertEquals(100, again.entries().get(again.entries().size() - 1).index());
  }

  @Test
  void aMissingSegmentIsRefused() throws IOException {
    Path dir = tmp.resolve("wal");
    writeEntries(dir, 100);
    List<WalReader.Segment> segs = Wal.segments(dir);
    Files.delete(segs.get(1).path());
    WalCorruptException e = assertThrows(WalCorruptException.class, () -> Wal.open(dir, SEGMENT));
    assertTrue(e.getMessage().contains("missing"), e.getMessage());
  }

  // --- helpers --------------------------------------------------------------------------------

  private static int dataEnd(byte[] b) {
    int off = 0;
    while (true) {
      int len = WalFormat.validAt(b, off, b.length);
      if (len <= 0) return off;
      off += WalFormat.HEADER + len;
    }
  }

  private static List<Integer> recordStarts(byte[] b) {
    List<Integer> out = new ArrayList<>();
    int off = 0;
    while (true) {
      int len = WalFormat.validAt(b, off, b.length);
      if (len <= 0) return out;
      out.add(off);
      off += WalFormat.HEADER + len;
    }
  }

  private static int recordStartOf(List<Integer> starts, int off) {
    int s = 0;
    for (int st : starts) if (st <= off) s = st;
    return s;
  }

  /**
   * One copy of a WAL directory, damaged in place and put back after each case: every case writes
   * only the bytes it changes (and recovery may zero a torn tail), so a few thousand cases cost
   * a few thousand small writes to the page cache instead of as many directories created, filled
   * and deleted (which made these tests take 10-20 s on a busy disk).
   */
  private final class Scratch implements AutoCloseable {
    final Path dir;
    private final java.util.Map<String, byte[]> originals = new java.util.HashMap<>();

    Scratch(Path wal) throws IOException {
      dir = copyDir(wal, "scratch");
      try (Stream<Path> s = Files.list(dir)) {
        for (Path p : s.toList()) originals.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }

    private final java.util.Set<String> touched = new java.util.HashSet<>();

    /** Writes {@code b[off, off+len)} at offset {@code off} of segment {@code name}, in place. */
    void write(String name, byte[] b, int off, int len) throws IOException {
      touched.add(name);
      put(name, b, off, len);
    }

    private void put(String name, byte[] b, int off, int len) throws IOException {
      try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dir.resolve(name), java.nio.file.StandardOpenOption.WRITE)) {
        ch.write(java.nio.ByteBuffer.wrap(b, off, len), off);
      }
    }

    /** Puts back what was written, and the last segment (recovery zeroes a torn tail there in place). */
    void restore() throws IOException {
      touched.add(java.util.Collections.max(originals.keySet()));
      for (String name : touched) put(name, originals.get(name), 0, originals.get(name).length);
      touched.clear();
    }

    @Override
    public void close() throws IOException {
      deleteDir(dir);
    }
  }

  private Path copyDir(Path dir, String name) throws IOException {
    Path copy = tmp.resolve(name);
    deleteDir(copy);
    Files.createDirectories(copy);
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) if (p.toString().endsWith(".wal")) Files.copy(p, copy.resolve(p.getFileName()));
    }
    return copy;
  }

  private static void deleteDir(Path d) throws IOException {
    if (!Files.exists(d)) return;
    try (Stream<Path> s = Files.walk(d)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
    }
  }

  @SuppressWarnings("unused")
  private static void unused() {
    fail();
  }
}
