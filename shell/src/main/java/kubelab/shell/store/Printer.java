package kubelab.shell.store;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import kubelab.container.state.Json;
import kubelab.store.KvStore.DeleteResponse;
import kubelab.store.KvStore.KeyValue;
import kubelab.store.KvStore.PutResponse;
import kubelab.store.KvStore.RangeResponse;
import kubelab.store.KvStore.WatchEvent;

/**
 * etcdctl 3.4's output shapes (printer_simple.go and printer_json.go, by behaviour): simple
 * prints the key on one line and the value on the next (an empty line for --keys-only), "OK" for
 * a put, the number of keys for a delete, "PUT"/"DELETE" then key and value for watch events; JSON
 * is the response with keys and values in base64 and snake_case field names, as the gRPC gateway
 * prints them ({@code mod_revision}, {@code create_revision}, ...). Numbers in JSON are plain.
 */
final class Printer {
  private Printer() {}

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  static String quote(String s) {
    return Json.quote(s);
  }

  static String header(long revision) {
    return "\"header\":{\"revision\":" + revision + "}";
  }

  static String kvJson(KeyValue kv) {
    StringBuilder sb = new StringBuilder("{\"key\":\"").append(b64(kv.key())).append('"');
    if (kv.createRevision() != 0) sb.append(",\"create_revision\":").append(kv.createRevision());
    if (kv.modRevision() != 0) sb.append(",\"mod_revision\":").append(kv.modRevision());
    if (kv.version() != 0) sb.append(",\"version\":").append(kv.version());
    if (kv.value().length > 0) sb.append(",\"value\":\"").append(b64(kv.value())).append('"');
    if (kv.lease() != 0) sb.append(",\"lease\":").append(kv.lease());
    return sb.append('}').toString();
  }

  static void get(PrintWriter out, RangeResponse r, boolean json, boolean keysOnly) {
    if (json) {
      StringBuilder sb = new StringBuilder("{").append(header(r.revision()));
      if (!r.kvs().isEmpty()) {
        sb.append(",\"kvs\":[");
        for (int i = 0; i < r.kvs().size(); i++) sb.append(i == 0 ? "" : ",").append(kvJson(r.kvs().get(i)));
        sb.append(']');
      }
      if (r.more()) sb.append(",\"more\":true");
      sb.append(",\"count\":").append(r.count()).append('}');
      out.println(sb);
      return;
    }
    for (KeyValue kv : r.kvs()) {
      out.println(kv.key());
      out.println(keysOnly ? "" : text(kv.value()));
    }
  }

  static void put(PrintWriter out, PutResponse r, boolean json) {
    if (json) {
      StringBuilder sb = new StringBuilder("{").append(header(r.revision()));
      if (r.prevKv() != null) sb.append(",\"prev_kv\":").append(kvJson(r.prevKv()));
      out.println(sb.append('}'));
    } else {
      out.println("OK");
      if (r.prevKv() != null) {
        out.println(r.prevKv().key());
        out.println(text(r.prevKv().value()));
      }
    }
  }

  static void del(PrintWriter out, DeleteResponse r, boolean json) {
    if (json) {
      StringBuilder sb = new StringBuilder("{").append(header(r.revision())).append(",\"deleted\":").append(r.deleted());
      if (!r.prevKvs().isEmpty()) {
        sb.append(",\"prev_kvs\":[");
        for (int i = 0; i < r.prevKvs().size(); i++) sb.append(i == 0 ? "" : ",").append(kvJson(r.prevKvs().get(i)));
        sb.append(']');
      }
      out.println(sb.append('}'));
    } else {
      out.println(r.deleted());
      for (KeyValue kv : r.prevKvs()) {
        out.println(kv.key());
        out.println(text(kv.value()));
      }
    }
  }

  static void events(PrintWriter out, long revision, List<WatchEvent> events, boolean json) {
    if (json) {
      // etcdctl prints the whole WatchResponse, whose Go field names are capitalized.
      StringBuilder sb = new StringBuilder("{\"Header\":{\"revision\":").append(revision).append("},\"Events\":[");
      for (int i = 0; i < events.size(); i++) {
        WatchEvent e = events.get(i);
        sb.append(i == 0 ? "" : ",").append('{');
        if (e.type() == WatchEvent.Type.DELETE) sb.append("\"type\":1,");
        sb.append("\"kv\":").append(kvJson(e.kv()));
        if (e.prevKv() != null) sb.append(",\"prev_kv\":").append(kvJson(e.prevKv()));
        sb.append('}');
      }
      out.println(sb.append("],\"CompactRevision\":0,\"Canceled\":false,\"Created\":false}"));
    } else {
      for (WatchEvent e : events) {
        out.println(e.type().name());
        if (e.prevKv() != null) {
          out.println(e.prevKv().key());
          out.println(text(e.prevKv().value()));
        }
        out.println(e.kv().key());
        out.println(text(e.kv().value()));
      }
    }
    out.flush();
  }
}
