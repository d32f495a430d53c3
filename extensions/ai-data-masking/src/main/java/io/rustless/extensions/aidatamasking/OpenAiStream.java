package io.rustless.extensions.aidatamasking;

import io.rustless.sdk.higress.Log;
import io.rustless.sdk.higress.json.Json;
import io.rustless.sdk.higress.json.JsonArray;
import io.rustless.sdk.higress.json.JsonException;
import io.rustless.sdk.higress.json.JsonNull;
import io.rustless.sdk.higress.json.JsonNumber;
import io.rustless.sdk.higress.json.JsonObject;
import io.rustless.sdk.higress.json.JsonString;
import io.rustless.sdk.higress.json.JsonValue;
import io.rustless.sdk.higress.sse.EventStream;
import io.rustless.sdk.higress.sse.SseEvent;
import io.rustless.sdk.lang.Utf8;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An OpenAI chat completion stream (server-sent events) checked and restored on the fly. Each event
 * goes out as it comes in, in order; only the text of {@code choices[].delta.content} and {@code
 * reasoning_content} is held back by each choice's {@link TextWindow} and handed out in later
 * events (or added to the event that finishes the choice, or, at {@code [DONE]}/the end, to one
 * synthesised event per field). Events that are not JSON pass unchanged; {@code data: [DONE]} is
 * kept.
 *
 * <p>A deny word ends the answer: an event carrying {@code deny_message} is sent, what the upstream
 * sends afterwards is dropped except its {@code usage}, which is summed into one last event before
 * {@code data: [DONE]}.
 */
final class OpenAiStream {
  private final AiDataMaskingConfig config;
  private final RestoreMap restore;
  private final Log log;
  private final EventStream events = new EventStream();
  private final List<Integer> indexes = new ArrayList<>();
  private final List<TextWindow[]> windows = new ArrayList<>();
  private JsonObject template;
  private boolean denied;
  private boolean done;
  private JsonObject usage;
  private StringBuilder out;

  OpenAiStream(AiDataMaskingConfig config, RestoreMap restore, Log log) {
    this.config = config;
    this.restore = restore;
    this.log = log;
  }

  /** What to pass on for {@code chunk}. */
  byte[] onChunk(byte[] chunk, boolean endOfStream) {
    out = new StringBuilder(chunk.length + 64);
    events.update(chunk);
    Optional<byte[]> event;
    while ((event = events.next()).isPresent()) {
      onEvent(event.get());
    }
    if (endOfStream) {
      events.flush().ifPresent(this::onEvent);
      finish(false);
    }
    return Utf8.encode(out);
  }

  private void onEvent(byte[] raw) {
    String text = Utf8.decode(raw);
    SseEvent e = SseEvent.parse(raw);
    boolean hasData = hasDataField(text);
    if (!hasData) {
      if (!denied) {
        out.append(text).append("\n\n");
      }
      return;
    }
    if (e.data().trim().equals("[DONE]")) {
      finish(true);
      return;
    }
    JsonObject obj = null;
    try {
      JsonValue v = Json.parse(e.data());
      obj = v.isObject() ? v.asObject() : null;
    } catch (JsonException ex) {
      // not JSON: pass it on as it is
    }
    if (denied) {
      if (obj != null) {
        addUsage(obj);
      }
      return;
    }
    if (obj == null) {
      out.append(text).append("\n\n");
      return;
    }
    template = obj;
    JsonObject rewritten = rewrite(obj);
    if (denied) {
      addUsage(obj);
      return;
    }
    if (rewritten == obj) {
      out.append(text).append("\n\n");
    } else {
      appendWithData(text, rewritten.toString());
    }
  }

  /** The event with its choices' text run through the windows; {@code obj} itself if unchanged. */
  private JsonObject rewrite(JsonObject obj) {
    Optional<JsonValue> choices = obj.get("choices");
    if (choices.isEmpty() || !choices.get().isArray()) {
      return obj;
    }
    JsonArray in = choices.get().asArray();
    List<JsonValue> items = new ArrayList<>(in.size());
    boolean changed = false;
    for (JsonValue item : in.values()) {
      JsonValue next = item.isObject() ? choice(item.asObject()) : item;
      if (denied) {
        return obj;
      }
      changed |= next != item;
      items.add(next);
    }
    if (!changed) {
      return obj;
    }
    return with(obj, "choices", JsonArray.of(items));
  }

  private JsonValue choice(JsonObject c) {
    int index = 0;
    Optional<JsonValue> i = c.get("index");
    if (i.isPresent() && i.get().isNumber()) {
      try {
        index = i.get().asNumber().intValue();
      } catch (JsonException e) {
        index = 0;
      }
    }
    TextWindow[] w = windows(index);
    JsonObject delta =
        c.get("delta").filter(JsonValue::isObject).map(JsonValue::asObject).orElse(null);
    boolean finished = c.get("finish_reason").map(v -> !v.isNull()).orElse(false);
    String content = delta == null ? null : string(delta, "content");
    String reasoning = delta == null ? null : string(delta, "reasoning_content");
    String newReasoning = null;
    String newContent = null;
    if (reasoning != null) {
      if (denies(w[1].append(reasoning, false), w[1], index, "reasoning_content")) {
        return c;
      }
      newReasoning = w[1].take();
    }
    boolean reasoningEnds = finished || (content != null && !content.isEmpty());
    if (reasoningEnds && !w[1].isEmpty()) {
      if (denies(w[1].append("", true), w[1], index, "reasoning_content")) {
        return c;
      }
      newReasoning = (newReasoning == null ? "" : newReasoning) + w[1].flush();
    }
    if (content != null) {
      if (denies(w[0].append(content, false), w[0], index, "content")) {
        return c;
      }
      newContent = w[0].take();
    }
    if (finished && !w[0].isEmpty()) {
      if (denies(w[0].append("", true), w[0], index, "content")) {
        return c;
      }
      newContent = (newContent == null ? "" : newContent) + w[0].flush();
    }
    boolean contentChanged = newContent != null && !newContent.equals(content);
    boolean reasoningChanged = newReasoning != null && !newReasoning.equals(reasoning);
    if (!contentChanged && !reasoningChanged) {
      return c;
    }
    JsonObject d = delta == null ? JsonObject.builder().build() : delta;
    if (reasoningChanged) {
      d = with(d, "reasoning_content", new JsonString(newReasoning));
    }
    if (contentChanged) {
      d = with(d, "content", new JsonString(newContent));
    }
    return with(c, "delta", d);
  }

  /**
   * If {@code word} is a deny word found in {@code w}: passes on the text before it, then the block
   * event, and ends the answer.
   */
  private boolean denies(int word, TextWindow w, int index, String field) {
    if (word < 0) {
      return false;
    }
    log.warn("response stream blocked: " + config.deny().describe(word) + " in the answer");
    String before = w.beforeDenyWord();
    if (!before.isEmpty()) {
      event(index, field, before);
    }
    out.append(Replies.openAiStream(config.denyMessage()));
    denied = true;
    return true;
  }

  /**
   * At {@code [DONE]} or the end: what is held back goes out, then {@code [DONE]} if the upstream
   * sent one.
   */
  private void finish(boolean sawDone) {
    if (done) {
      return;
    }
    done = true;
    if (!denied) {
      for (int k = 0; k < windows.size() && !denied; k++) {
        flushField(indexes.get(k), windows.get(k)[1], "reasoning_content");
        flushField(indexes.get(k), windows.get(k)[0], "content");
      }
    }
    if (denied && usage != null) {
      out.append("data: ")
          .append(
              JsonObject.builder()
                  .put("choices", JsonArray.of(List.of()))
                  .put("usage", usage)
                  .build()
                  .toString())
          .append("\n\n");
    }
    if (sawDone) {
      out.append("data: [DONE]\n\n");
    }
  }

  private void flushField(int index, TextWindow w, String field) {
    if (w.isEmpty() || denies(w.append("", true), w, index, field)) {
      return;
    }
    event(index, field, w.flush());
  }

  /** A synthesised event: the last event's other members, one choice with {@code text}. */
  private void event(int index, String field, String text) {
    JsonObject delta = JsonObject.builder().put(field, text).build();
    JsonObject choice =
        JsonObject.builder()
            .put("index", index)
            .put("delta", delta)
            .put("finish_reason", JsonNull.NULL)
            .build();
    JsonObject.Builder b = JsonObject.builder();
    if (template != null) {
      for (Map.Entry<String, JsonValue> e : template.members().entrySet()) {
        if (!e.getKey().equals("usage")) {
          b.put(e.getKey(), e.getValue());
        }
      }
    }
    b.put("choices", JsonArray.of(List.of(choice)));
    out.append("data: ").append(b.build().toString()).append("\n\n");
  }

  private TextWindow[] windows(int index) {
    int k = indexes.indexOf(index);
    if (k >= 0) {
      return windows.get(k);
    }
    TextWindow[] w = {
      new TextWindow(config.deny(), restore), new TextWindow(config.deny(), restore)
    };
    indexes.add(index);
    windows.add(w);
    return w;
  }

  private void addUsage(JsonObject event) {
    Optional<JsonValue> u = event.get("usage");
    if (u.isPresent() && u.get().isObject()) {
      usage = usage == null ? u.get().asObject() : sum(usage, u.get().asObject());
    }
  }

  /** {@code a} and {@code b} merged: integers summed, objects merged, anything else from b. */
  static JsonObject sum(JsonObject a, JsonObject b) {
    JsonObject.Builder out = JsonObject.builder();
    Map<String, JsonValue> am = a.members();
    for (Map.Entry<String, JsonValue> e : am.entrySet()) {
      out.put(e.getKey(), e.getValue());
    }
    for (Map.Entry<String, JsonValue> e : b.members().entrySet()) {
      JsonValue x = am.get(e.getKey());
      JsonValue y = e.getValue();
      if (x != null && x.isNumber() && y.isNumber()) {
        try {
          out.put(e.getKey(), JsonNumber.of(x.asNumber().longValue() + y.asNumber().longValue()));
        } catch (JsonException notIntegers) {
          out.put(e.getKey(), y);
        }
      } else if (x != null && x.isObject() && y.isObject()) {
        out.put(e.getKey(), sum(x.asObject(), y.asObject()));
      } else {
        out.put(e.getKey(), y);
      }
    }
    return out.build();
  }

  private static String string(JsonObject o, String key) {
    Optional<JsonValue> v = o.get(key);
    return v.isPresent() && v.get().isString() ? v.get().asString() : null;
  }

  private static JsonObject with(JsonObject o, String key, JsonValue value) {
    JsonObject.Builder b = JsonObject.builder();
    for (Map.Entry<String, JsonValue> e : o.members().entrySet()) {
      b.put(e.getKey(), e.getValue());
    }
    return b.put(key, value).build();
  }

  private static boolean hasDataField(String event) {
    int start = 0;
    while (start <= event.length()) {
      int end = start;
      while (end < event.length() && event.charAt(end) != '\n' && event.charAt(end) != '\r') {
        end++;
      }
      if (event.startsWith("data", start) && (end == start + 4 || event.charAt(start + 4) == ':')) {
        return true;
      }
      if (end >= event.length()) {
        return false;
      }
      start = end + 1;
    }
    return false;
  }

  /** The event's non-data lines as they were, and one {@code data:} line with {@code json}. */
  private void appendWithData(String event, String json) {
    int start = 0;
    boolean written = false;
    while (start <= event.length()) {
      int end = start;
      while (end < event.length() && event.charAt(end) != '\n' && event.charAt(end) != '\r') {
        end++;
      }
      boolean data =
          event.startsWith("data", start) && (end == start + 4 || event.charAt(start + 4) == ':');
      if (data) {
        if (!written) {
          out.append("data: ").append(json).append('\n');
          written = true;
        }
      } else if (end > start) {
        out.append(event, start, end).append('\n');
      }
      if (end >= event.length()) {
        break;
      }
      start =
          end
              + (event.charAt(end) == '\r'
                      && end + 1 < event.length()
                      && event.charAt(end + 1) == '\n'
                  ? 2
                  : 1);
    }
    out.append('\n');
  }
}
