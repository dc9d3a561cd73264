package kubelab.store.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import kubelab.store.KvStore;
import kubelab.store.StoreException;
import kubelab.store.client.ClientProtocol;
import kubelab.store.client.RemoteKvStore;
import kubelab.store.codec.ByteReader;
import kubelab.store.codec.ByteWriter;
import kubelab.store.transport.Frames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A malformed request is refused with an error; it neither stops the member nor poisons the log. */
class ClientSessionTest {
  @TempDir Path tmp;

  @Test
  void aPutWhoseBodyDoesNotDecodeIsRefusedAndTheMemberCarriesOn() throws Exception {
    Peers peers = TcpPorts.loopbackPeers(TcpPorts.free(1));
    Peers.Peer p = peers.byName("s1");
    try (StoreServer s = StoreServer.start("s1", peers, tmp.resolve("s1"), p.address(), l -> {},
        c -> c.withTiming(Duration.ofMillis(10), 10, Duration.ofSeconds(5)).withWalSegmentBytes(1 << 20));
         Socket sock = new Socket()) {
      sock.connect(new InetSocketAddress("127.0.0.1", p.address().getPort()));
      OutputStream out = sock.getOutputStream();
      ByteWriter w = new ByteWriter();
      int f = Frames.beginFrame(w);
      w.u8(Frames.CLIENT).u8(Frames.VERSION);
      Frames.endFrame(w, f);
      f = Frames.beginFrame(w);
      w.u8(ClientProtocol.PUT).varLong(7).u8(0xFF).u8(0xFF).u8(0xFF); // a key length far beyond the frame
      Frames.endFrame(w, f);
      Frames.drainTo(w, out);
      out.flush();
      DataInputStream in = new DataInputStream(new BufferedInputStream(sock.getInputStream()));
      ByteReader r = new ByteReader(Frames.read(in));
      assertEquals(ClientProtocol.ERR, r.u8());
      assertEquals(7, r.varLong());
      assertEquals(StoreException.Code.INVALID_ARGUMENT, ClientProtocol.readError(r).code());
      try (RemoteKvStore kv = new RemoteKvStore(new InetSocketAddress("127.0.0.1", p.address().getPort()))) {
        var put = kv.put(KvStore.PutRequest.of("/after", new byte[] {1})).get(10, TimeUnit.SECONDS);
        assertEquals(1, kv.range(KvStore.RangeRequest.key("/after")).get(10, TimeUnit.SECONDS).count());
        assertEquals(put.revision(), s.member().keyspace().revision());
      }
    }
  }
}
