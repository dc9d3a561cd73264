package kubelab.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A plain-TCP HTTP/1.1 server for tests that must control the bytes on the wire: chunk
 * boundaries in the middle of a JSON event, a connection cut mid-stream. Binds 127.0.0.1:0; one
 * thread per connection; each request goes to the handler with the socket's output stream.
 */
final class RawHttpServer implements AutoCloseable {
  interface Handler {
    void handle(String requestLine, List<String> headers, OutputStream out, Socket socket) throws Exception;
  }

  private final ServerSocket socket;
  private final Thread acceptor;
  final List<String> requests = Collections.synchronizedList(new ArrayList<>());

  RawHttpServer(Handler handler) throws IOException {
    socket = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    acceptor = new Thread(() -> {
      while (!socket.isClosed()) {
        try {
          Socket s = socket.accept();
          Thread t = new Thread(() -> serve(s, handler));
          t.setDaemon(true);
          t.start();
        } catch (IOException closed) {
          return;
        }
      }
    });
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void serve(Socket s, Handler handler) {
    try (s) {
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
      while (true) {
        String line = in.readLine();
        if (line == null || line.isEmpty()) return;
        List<String> headers = new ArrayList<>();
        int length = 0;
        String h;
        while ((h = in.readLine()) != null && !h.isEmpty()) {
          headers.add(h);
          if (h.toLowerCase().startsWith("content-length:")) length = Integer.parseInt(h.substring(15).trim());
        }
        for (int i = 0; i < length; i++) in.read();
        requests.add(line);
        handler.handle(line, headers, s.getOutputStream(), s);
        if (s.isClosed()) return;
      }
    } catch (Exception e) {
      // the test decides how connections end
    }
  }

  String url() {
    return "http://127.0.0.1:" + socket.getLocalPort();
  }

  static void respond(OutputStream out, int code, String reason, String json, String... extraHeaders) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder("HTTP/1.1 " + code + " " + reason + "\r\nContent-Type: application/json\r\n");
    for (String h : extraHeaders) sb.append(h).append("\r\n");
    sb.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }

  static void chunkedHeaders(OutputStream out) throws IOException {
    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  static void chunk(OutputStream out, String data) throws IOException {
    byte[] b = data.getBytes(StandardCharsets.UTF_8);
    out.write((Integer.toHexString(b.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    out.write(b);
    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  static void lastChunk(OutputStream out) throws IOException {
    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  @Override public void close() throws IOException {
    socket.close();
  }
}
