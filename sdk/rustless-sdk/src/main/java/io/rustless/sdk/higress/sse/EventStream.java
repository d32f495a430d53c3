package io.rustless.sdk.higress.sse;

import java.util.Arrays;
import java.util.Optional;

/**
 * Splits a {@code text/event-stream} body into events as chunks arrive, with the semantics of
 * Higress's Rust SDK ({@code event_stream.rs}): an event ends at two end-of-lines (CRLF, CR or LF
 * in any combination), and also at a single CRLF that is followed by something other than an
 * end-of-line or by the end of the data seen so far (Higress reads CRLF as belonging to the event
 * and the field at once, to resolve the grammar's ambiguity). A lone CR or LF at the end waits for
 * more data. Events come back raw, without the terminating end-of-lines; see {@link SseEvent} to
 * read their fields.
 */
public final class EventStream {
  private byte[] buffer = new byte[0];
  private int length;
  private int processed;

  /** Appends a chunk (dropping what earlier events consumed). */
  public void update(byte[] chunk) {
    if (processed > 0) {
      System.arraycopy(buffer, processed, buffer, 0, length - processed);
      length -= processed;
      processed = 0;
    }
    if (length + chunk.length > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + chunk.length));
    }
    System.arraycopy(chunk, 0, buffer, length, chunk.length);
    length += chunk.length;
  }

  /** The next complete event, or empty if the data so far holds none. */
  public Optional<byte[]> next() {
    for (int i = processed; i < length; i++) {
      int end = eventEnd(i);
      if (end > 0) {
        byte[] event = Arrays.copyOfRange(buffer, processed, i);
        processed = i + end;
        return Optional.of(event);
      }
    }
    return Optional.empty();
  }

  /** What is left after the last complete event (call at end of stream); empty if nothing. */
  public Optional<byte[]> flush() {
    if (processed >= length) {
      return Optional.empty();
    }
    byte[] rest = Arrays.copyOfRange(buffer, processed, length);
    processed = length;
    return Optional.of(rest);
  }

  /** Bytes received but not yet returned as an event. */
  public int pending() {
    return length - processed;
  }

  /** The length of an end-of-line at {@code i} (2 for CRLF, 1 for CR or LF), or 0. */
  private int eol(int i) {
    if (i + 1 < length && buffer[i] == '\r' && buffer[i + 1] == '\n') {
      return 2;
    }
    return buffer[i] == '\r' || buffer[i] == '\n' ? 1 : 0;
  }

  /** The length of the event terminator at {@code i}, or 0 if none ends an event there. */
  private int eventEnd(int i) {
    int first = eol(i);
    if (first == 0) {
      return 0;
    }
    if (i + first < length) {
      int second = eol(i + first);
      if (second > 0) {
        return first + second;
      }
      return first == 2 ? 2 : 0;
    }
    return first == 2 ? 2 : 0;
  }
}
