package kubelab.apiserver;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import kubelab.api.registry.ResourceType;
import kubelab.apiserver.http.ApiRequest;
import kubelab.apiserver.http.JettyAdapter;
import kubelab.apiserver.rest.Call;
import kubelab.apiserver.rest.PodLogs;
import kubelab.apiserver.rest.PodStreams;
import kubelab.apiserver.rest.ResourceRouter;
import kubelab.apiserver.rest.Responder;
import kubelab.apiserver.rest.RestContext;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.pathmap.RegexPathSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * WebSocket upgrades of watches and of {@code pods/NAME/exec}, {@code attach} and {@code portforward}: the path
 * kubectl 1.30+ takes first (it falls back to SPDY only if the upgrade fails).
 *
 * <p>The upgrade is checked like any request (authentication, RBAC on {@code pods/exec} with verb
 * create or get, the pod and container), then a subprotocol is chosen from the client's offer:
 * {@code v5.channel.k8s.io} (stdin close signal on channel 255) or {@code v4.channel.k8s.io} for
 * exec and attach, {@code v2.portforward.k8s.io} / {@code portforward.k8s.io} for port-forward.
 * Each binary message is one channel byte (0 stdin, 1 stdout, 2 stderr, 3 error, 4 resize) and
 * the payload. The session is handed to the kubelet of the pod's node ({@link PodStreams}); when
 * no kubelet serves that node the upgrade is refused with a 503 Status saying so.
 */
// Public only because Jetty instantiates the endpoint classes reflectively and needs them public.
public final class StreamUpgrader {
  static final List<String> EXEC_PROTOCOLS = List.of("v5.channel.k8s.io", "v4.channel.k8s.io");
  static final List<String> PORTFORWARD_PROTOCOLS = List.of("v2.portforward.k8s.io", "portforward.k8s.io");

  private final ApiHandler handler;
  private final RestContext rest;
  private final ResourceRouter router;

  StreamUpgrader(ApiHandler handler, RestContext rest, ResourceRouter router) {
    this.handler = handler;
    this.rest = rest;
    this.router = router;
  }

  Handler wrap(Server server, Handler next) {
    WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, container -> {
      container.setIdleTimeout(java.time.Duration.ofHours(4));
      container.addMapping(new RegexPathSpec("^/apis?/.*$"), this::create);
    });
    ws.setHandler(next);
    return ws;
  }

  private Object create(ServerUpgradeRequest req, ServerUpgradeResponse resp, org.eclipse.jetty.util.Callback cb) {
    ApiRequest api = JettyAdapter.toApiRequest(req, Params.MAX_REQUEST_BODY_BYTES);
    try {
      ApiHandler.Identified id = handler.identify(api);
      handler.authorize(id);
      String sub = id.info().subresource();
      if (id.info().verb().equals("watch")) {
        ResourceType t = handler.typeOf(id.info());
        if (!req.getSubProtocols().isEmpty()) resp.setAcceptedSubProtocol(req.getSubProtocols().get(0));
        return new WatchEndpoint(router, api, id, t);
      }
      if (!List.of("exec", "attach", "portforward").contains(sub)) {
        throw ApiError.badRequest("a WebSocket upgrade is served only for watch, exec, attach and portforward requests");
      }
      ResourceType pods = handler.typeOf(id.info());
      Call c = new Call(api, null, id.info(), pods, id.user());
      PodLogs.Target target = router.logs().target(c, api.param("container"), true);
      PodStreams.Kubelet k = rest.podStreams.kubelet(target.node());
      if (k == null) throw PodLogs.noKubelet(target.node());
      List<String> offered = req.getSubProtocols();
      String proto = null;
      for (String p : sub.equals("portforward") ? PORTFORWARD_PROTOCOLS : EXEC_PROTOCOLS) {
        if (offered.contains(p)) {
          proto = p;
          break;
        }
      }
      if (proto == null) {
        throw ApiError.badRequest("none of the offered WebSocket subprotocols " + offered + " is supported; use one of "
            + (sub.equals("portforward") ? PORTFORWARD_PROTOCOLS : EXEC_PROTOCOLS));
      }
      resp.setAcceptedSubProtocol(proto);
      List<String> command = new ArrayList<>(api.params("command"));
      boolean tty = "true".equals(api.param("tty"));
      String uid = target.pod().path("metadata").path("uid").asText();
      return new ChannelEndpoint(proto, channels -> k.stream(sub, c.namespace(), c.name(), uid, target.container(),
          command, "true".equals(api.param("stdin")), !"false".equals(api.param("stdout")),
          !"false".equals(api.param("stderr")) && !tty, tty, channels));
    } catch (ApiError e) {
      resp.setStatus(e.code());
      resp.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      resp.write(true, ByteBuffer.wrap(Responder.bytes(e.toStatus())), cb);
      return null;
    }
  }

  /**
   * A watch over WebSocket (as kube-apiserver serves ?watch=true to clients that upgrade, such as
   * fabric8): the same watch as over chunked HTTP, each event one text message. The watch runs
   * on its own thread from the moment the socket opens and ends when either side closes.
   */
  public static final class WatchEndpoint implements Session.Listener.AutoDemanding {
    private final ResourceRouter router;
    private final ApiRequest original;
    private final ApiHandler.Identified id;
    private final ResourceType type;
    private final java.util.concurrent.atomic.AtomicBoolean gone = new java.util.concurrent.atomic.AtomicBoolean();

    WatchEndpoint(ResourceRouter router, ApiRequest original, ApiHandler.Identified id, ResourceType type) {
      this.router = router;
      this.original = original;
      this.id = id;
      this.type = type;
    }

    @Override
    public void onWebSocketOpen(Session s) {
      ApiRequest req = new ApiRequest(original.method(), original.path(), original.query(), original::headers, null, 0,
          original.peerCertificates(), original.remoteAddress(), gone::get, Params.MAX_REQUEST_BODY_BYTES);
      Thread t = new Thread(() -> run(s, req), "watch-ws");
      t.setDaemon(true);
      t.start();
    }

    private void run(Session s, ApiRequest req) {
      kubelab.apiserver.http.ApiResponse out = new kubelab.apiserver.http.ApiResponse() {
        private boolean committed;

        @Override
        public void header(String name, String value) {
        }

        @Override
        public void send(int status, String contentType, byte[] body) throws IOException {
          committed = true;
          text(s, new String(body, java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public java.io.OutputStream startStream(int status, String contentType) {
          committed = true;
          return new java.io.OutputStream() {
            private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

            @Override
            public void write(int b) throws IOException {
              if (b == '\n') {
                text(s, line.toString(java.nio.charset.StandardCharsets.UTF_8));
                line.reset();
              } else {
                line.write(b);
              }
            }
          };
        }

        @Override
        public boolean committed() {
          return committed;
        }
      };
      try {
        router.serve(new Call(req, out, id.info(), type, id.user()));
      } catch (ApiError e) {
        try {
          text(s, Responder.bytes(e.toStatus()) == null ? "" : new String(Responder.bytes(e.toStatus()), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException ignored) {
          // the client is gone
        }
      } catch (IOException | RuntimeException e) {
        // the client went away or the store failed: end the watch
      } finally {
        s.close(1000, "", Callback.NOOP);
      }
    }

    private void text(Session s, String msg) throws IOException {
      if (gone.get()) throw new IOException("watch client went away");
      Callback.Completable done = new Callback.Completable();
      s.sendText(msg, done);
      try {
        done.get();
      } catch (Exception e) {
        gone.set(true);
        throw new IOException("watch client went away: " + e.getMessage(), e);
      }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
      gone.set(true);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
      gone.set(true);
    }
  }

  /** One WebSocket stream session: channel-prefixed binary messages in both directions. */
  public static final class ChannelEndpoint implements Session.Listener.AutoDemanding {
    private final String protocol;
    private final java.util.function.Consumer<PodStreams.StreamChannels> start;
    private final AtomicReference<PodStreams.Receiver> receiver = new AtomicReference<>();
    private volatile Session session;

    ChannelEndpoint(String protocol, java.util.function.Consumer<PodStreams.StreamChannels> start) {
      this.protocol = protocol;
      this.start = start;
    }

    @Override
    public void onWebSocketOpen(Session s) {
      this.session = s;
      start.accept(new PodStreams.StreamChannels() {
        @Override
        public void send(int channel, byte[] data) throws IOException {
          ByteBuffer b = ByteBuffer.allocate(data.length + 1);
          b.put((byte) channel).put(data).flip();
          Callback.Completable done = new Callback.Completable();
          s.sendBinary(b, done);
          try {
            done.get();
          } catch (Exception e) {
            throw new IOException("stream closed: " + e.getMessage(), e);
          }
        }

        @Override
        public void onReceive(PodStreams.Receiver r) {
          receiver.set(r);
        }

        @Override
        public void close() {
          s.close(1000, "", Callback.NOOP);
        }
      });
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
      PodStreams.Receiver r = receiver.get();
      if (r != null && payload.remaining() > 0) {
        int channel = payload.get() & 0xff;
        byte[] data = new byte[payload.remaining()];
        payload.get(data);
        r.receive(channel, data);
      }
      callback.succeed();
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
      PodStreams.Receiver r = receiver.get();
      if (r != null) r.receive(255, new byte[0]);
    }

    String protocol() {
      return protocol;
    }

    Session session() {
      return session;
    }
  }
}
