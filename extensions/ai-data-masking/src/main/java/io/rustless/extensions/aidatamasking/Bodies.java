package io.rustless.extensions.aidatamasking;

import io.rustless.sdk.higress.Log;
import io.rustless.sdk.higress.json.JsonException;
import io.rustless.sdk.higress.json.JsonPath;
import io.rustless.sdk.higress.json.JsonSelection;
import io.rustless.sdk.lang.Utf8;
import java.util.ArrayList;
import java.util.List;

/** Checks and masks whole bodies: the request, and a response that is not streamed. */
final class Bodies {
  private static final JsonPath MESSAGES = JsonPath.compile("$.messages");
  private static final JsonPath STREAM = JsonPath.compile("$.stream");
  private static final JsonPath CONTENT = JsonPath.compile("$.messages[*].content");
  private static final JsonPath CONTENT_PARTS = JsonPath.compile("$.messages[*].content[*].text");
  private static final JsonPath REASONING = JsonPath.compile("$.messages[*].reasoning_content");
  private static final String[] OPENAI_FIELDS = {
    "", "", "messages[].content", "messages[].content[].text", "messages[].reasoning_content"
  };
  private static final List<JsonPath> ANSWER =
      List.of(
          JsonPath.compile("$.choices[*].message.content"),
          JsonPath.compile("$.choices[*].message.reasoning_content"));

  private Bodies() {}

  /** What to do with a body. */
  static final class Verdict {
    static final Verdict PASS = new Verdict(null, false);
    final byte[] body;
    final boolean block;

    private Verdict(byte[] body, boolean block) {
      this.body = body;
      this.block = block;
    }

    static Verdict rewrite(byte[] body) {
      return new Verdict(body, false);
    }

    static Verdict block() {
      return new Verdict(null, true);
    }
  }

  /**
   * Inspects a complete request body: the OpenAI chat shape first (if {@code deny_openai}), then
   * {@code deny_jsonpath} fields of other JSON, then (with {@code deny_raw}) the body as text.
   * Records in {@code exchange} whether it was an OpenAI request, streamed, and the masks to
   * restore.
   */
  static Verdict request(AiDataMaskingConfig config, byte[] body, Exchange exchange, Log log) {
    if (body.length == 0) {
      return Verdict.PASS;
    }
    List<JsonPath> paths = new ArrayList<>();
    if (config.denyOpenai()) {
      paths.add(MESSAGES);
      paths.add(STREAM);
      paths.add(CONTENT);
      paths.add(CONTENT_PARTS);
      paths.add(REASONING);
    }
    int userPaths = paths.size();
    paths.addAll(config.jsonPaths());
    JsonSelection sel = null;
    if (paths.size() > 0) {
      try {
        sel = JsonSelection.scan(body, paths);
      } catch (JsonException notJson) {
        log.debug("request body is not JSON: " + notJson.getMessage());
      }
    }
    if (sel != null && config.denyOpenai() && isChat(sel)) {
      exchange.openAi = true;
      for (int i = 0; i < sel.size(); i++) {
        if (sel.pathIndex(i) == 1 && sel.isTrue(i)) {
          exchange.stream = true;
        }
      }
      return fields(config, sel, 2, userPaths, exchange, log);
    }
    if (sel != null && !config.jsonPaths().isEmpty()) {
      return fields(config, sel, userPaths, paths.size(), exchange, log);
    }
    if (config.denyRaw()) {
      return raw(config, body, exchange, log);
    }
    return Verdict.PASS;
  }

  private static boolean isChat(JsonSelection sel) {
    for (int i = 0; i < sel.size(); i++) {
      if (sel.pathIndex(i) == 0 && sel.typeName(i).equals("array")) {
        return true;
      }
    }
    return false;
  }

  /** Checks and masks the string values selected by paths {@code [from, to)}. */
  private static Verdict fields(
      AiDataMaskingConfig config, JsonSelection sel, int from, int to, Exchange exchange, Log log) {
    String[] replacements = new String[sel.size()];
    boolean changed = false;
    int lastStart = -1;
    for (int i = 0; i < sel.size(); i++) {
      int p = sel.pathIndex(i);
      if (p < from || p >= to || !sel.isString(i) || sel.start(i) == lastStart) {
        continue;
      }
      lastStart = sel.start(i);
      Heap.require(Heap.PER_TEXT_BYTE * (sel.end(i) - sel.start(i)));
      char[] s = sel.string(i).toCharArray();
      int word = config.deny().find(s, true, new int[1]);
      if (word >= 0) {
        String field =
            p < OPENAI_FIELDS.length && from == 2 ? OPENAI_FIELDS[p] : pathOf(config, sel, p);
        log.warn("request blocked: " + config.deny().describe(word) + " in " + field);
        return Verdict.block();
      }
      char[] masked =
          config.replaceRoles().isEmpty() ? null : Masker.mask(config.plan(), s, exchange.restore);
      if (masked != null) {
        replacements[i] = new String(masked);
        changed = true;
      }
    }
    if (!changed) {
      return Verdict.PASS;
    }
    Heap.require(Heap.PER_OUTPUT_BYTE * sel.json().length);
    return Verdict.rewrite(sel.replaceStrings(replacements));
  }

  private static String pathOf(AiDataMaskingConfig config, JsonSelection sel, int p) {
    int user = p - (config.denyOpenai() ? 5 : 0);
    return user >= 0 && user < config.jsonPaths().size()
        ? config.jsonPaths().get(user).toString()
        : "the body";
  }

  private static Verdict raw(AiDataMaskingConfig config, byte[] body, Exchange exchange, Log log) {
    Heap.require(Heap.PER_TEXT_BYTE * body.length);
    String text = Utf8.decode(body);
    int word = config.deny().find(text, true);
    if (word >= 0) {
      log.warn("request blocked: " + config.deny().describe(word) + " in the body");
      return Verdict.block();
    }
    String masked = Masker.mask(config.plan(), text, exchange.restore);
    return masked == text ? Verdict.PASS : Verdict.rewrite(Utf8.encode(masked));
  }

  /**
   * Inspects a complete response body: an OpenAI answer's {@code choices[].message} text if the
   * request was an OpenAI chat, else (with {@code deny_raw}) the body as text. A deny word blocks
   * it; masks are restored.
   */
  static Verdict response(AiDataMaskingConfig config, byte[] body, Exchange exchange, Log log) {
    if (body.length == 0) {
      return Verdict.PASS;
    }
    if (exchange.openAi && config.denyOpenai()) {
      JsonSelection sel = null;
      try {
        sel = JsonSelection.scan(body, ANSWER);
      } catch (JsonException notJson) {
        log.debug("response body is not JSON: " + notJson.getMessage());
      }
      if (sel != null) {
        String[] replacements = new String[sel.size()];
        boolean changed = false;
        for (int i = 0; i < sel.size(); i++) {
          if (!sel.isString(i)) {
            continue;
          }
          Heap.require(Heap.PER_TEXT_BYTE * (sel.end(i) - sel.start(i)));
          String s = sel.string(i);
          int word = config.deny().find(s, true);
          if (word >= 0) {
            log.warn("response blocked: " + config.deny().describe(word) + " in the answer");
            return Verdict.block();
          }
          String restored = exchange.restore.restore(s);
          if (restored != s) {
            replacements[i] = restored;
            changed = true;
          }
        }
        if (!changed) {
          return Verdict.PASS;
        }
        Heap.require(Heap.PER_OUTPUT_BYTE * body.length);
        return Verdict.rewrite(sel.replaceStrings(replacements));
      }
    }
    if (!config.denyRaw()) {
      return Verdict.PASS;
    }
    Heap.require(Heap.PER_TEXT_BYTE * body.length);
    String text = Utf8.decode(body);
    int word = config.deny().find(text, true);
    if (word >= 0) {
      log.warn("response blocked: " + config.deny().describe(word) + " in the body");
      return Verdict.block();
    }
    String restored = exchange.restore.restore(text);
    return restored == text ? Verdict.PASS : Verdict.rewrite(Utf8.encode(restored));
  }
}
