package io.rustless.extensions.aidatamasking;

import io.rustless.sdk.higress.Log;
import io.rustless.sdk.lang.Utf8;
import java.util.Arrays;

/**
 * A streamed response that is not OpenAI server-sent events, checked and restored as UTF-8 text (a
 * sequence split across chunks waits for its last byte). A deny word ends what is passed on; the
 * rest of the body is dropped.
 */
final class RawStream {
  private final AiDataMaskingConfig config;
  private final TextWindow window;
  private final Log log;
  private byte[] carry = new byte[0];
  private boolean denied;

  RawStream(AiDataMaskingConfig config, RestoreMap restore, Log log) {
    this.config = config;
    this.window = new TextWindow(config.deny(), restore);
    this.log = log;
  }

  byte[] onChunk(byte[] chunk, boolean endOfStream) {
    if (denied) {
      return new byte[0];
    }
    byte[] bytes = carry.length == 0 ? chunk : concat(carry, chunk);
    int complete = endOfStream ? bytes.length : completePrefix(bytes);
    carry = Arrays.copyOfRange(bytes, complete, bytes.length);
    int word = window.append(Utf8.decode(bytes, 0, complete), endOfStream);
    if (word >= 0) {
      log.warn("response stream blocked: " + config.deny().describe(word) + " in the body");
      denied = true;
      return Utf8.encode(window.beforeDenyWord());
    }
    return Utf8.encode(endOfStream ? window.flush() : window.take());
  }

  /** The length of {@code b} without a trailing, incomplete UTF-8 sequence. */
  static int completePrefix(byte[] b) {
    int i = b.length - 1;
    int continuation = 0;
    while (i >= 0 && continuation < 3 && (b[i] & 0xC0) == 0x80) {
      i--;
      continuation++;
    }
    if (i < 0) {
      return b.length;
    }
    int lead = b[i] & 0xFF;
    int need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return need > 1 && b.length - i < need ? i : b.length;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
