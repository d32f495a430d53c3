package io.rustless.operator.helm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Reads the one protobuf message Helm sends: its release records are Secrets, which client-go
 * writes as {@code application/vnd.kubernetes.protobuf}, and the fabric8 mock server reads JSON
 * only. Decodes the {@code runtime.Unknown} envelope and the Secret fields Helm sets (name,
 * namespace, resourceVersion, labels, data, type) into the JSON the mock stores.
 */
final class ProtobufSecret {

  private static final byte[] MAGIC = {'k', '8', 's', 0};

  private final byte[] b;
  private int p;
  private final int end;

  private ProtobufSecret(byte[] b, int start, int end) {
    this.b = b;
    this.p = start;
    this.end = end;
  }

  static boolean isProtobuf(byte[] body) {
    return body.length >= 4 && Arrays.equals(Arrays.copyOf(body, 4), MAGIC);
  }

  static String toJson(byte[] body) {
    var envelope = new ProtobufSecret(body, MAGIC.length, body.length);
    byte[] raw = null;
    while (envelope.more()) {
      int[] f = envelope.field();
      if (f[0] == 2) {
        raw = envelope.bytes();
      } else {
        envelope.skip(f[1]);
      }
    }
    if (raw == null) {
      throw new IllegalArgumentException("no object in the protobuf envelope");
    }
    var json = new ObjectMapper();
    ObjectNode secret = json.createObjectNode();
    secret.put("apiVersion", "v1");
    secret.put("kind", "Secret");
    ObjectNode meta = secret.putObject("metadata");
    var s = new ProtobufSecret(raw, 0, raw.length);
    while (s.more()) {
      int[] f = s.field();
      switch (f[0]) {
        case 1 -> s.sub().objectMeta(meta);
        case 2 -> {
          var entry = s.sub();
          String key = null;
          byte[] value = new byte[0];
          while (entry.more()) {
            int[] e = entry.field();
            if (e[0] == 1) {
              key = entry.string();
            } else if (e[0] == 2) {
              value = entry.bytes();
            } else {
              entry.skip(e[1]);
            }
          }
          secret.withObject("data").put(key, Base64.getEncoder().encodeToString(value));
        }
        case 3 -> secret.put("type", s.string());
        default -> s.skip(f[1]);
      }
    }
    return secret.toString();
  }

  private void objectMeta(ObjectNode meta) {
    while (more()) {
      int[] f = field();
      switch (f[0]) {
        case 1 -> meta.put("name", string());
        case 3 -> putIfNotEmpty(meta, "namespace", string());
        case 6 -> putIfNotEmpty(meta, "resourceVersion", string());
        case 11 -> {
          var entry = sub();
          String key = null;
          String value = null;
          while (entry.more()) {
            int[] e = entry.field();
            if (e[0] == 1) {
              key = entry.string();
            } else if (e[0] == 2) {
              value = entry.string();
            } else {
              entry.skip(e[1]);
            }
          }
          meta.withObject("labels").put(key, value);
        }
        default -> skip(f[1]);
      }
    }
  }

  private static void putIfNotEmpty(ObjectNode node, String key, String value) {
    if (!value.isEmpty()) {
      node.put(key, value);
    }
  }

  private boolean more() {
    return p < end;
  }

  private long varint() {
    long r = 0;
    int shift = 0;
    while (true) {
      int x = b[p++] & 0xff;
      r |= (long) (x & 0x7f) << shift;
      if (x < 0x80) {
        return r;
      }
      shift += 7;
    }
  }

  private int[] field() {
    long key = varint();
    return new int[] {(int) (key >>> 3), (int) (key & 7)};
  }

  private ProtobufSecret sub() {
    int len = (int) varint();
    var sub = new ProtobufSecret(b, p, p + len);
    p += len;
    return sub;
  }

  private byte[] bytes() {
    int len = (int) varint();
    byte[] r = Arrays.copyOfRange(b, p, p + len);
    p += len;
    return r;
  }

  private String string() {
    return new String(bytes(), StandardCharsets.UTF_8);
  }

  private void skip(int wireType) {
    switch (wireType) {
      case 0 -> varint();
      case 1 -> p += 8;
      case 2 -> {
        int len = (int) varint();
        p += len;
      }
      case 5 -> p += 4;
      default -> throw new IllegalArgumentException("protobuf wire type " + wireType);
    }
  }
}
