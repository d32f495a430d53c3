package io.rustless.extensions.ssetiming;

import io.rustless.sdk.api.DataAction;
import io.rustless.sdk.api.HeaderAction;
import io.rustless.sdk.api.HttpContext;
import io.rustless.sdk.api.ProxyWasm;
import io.rustless.sdk.api.RootContext;
import io.rustless.sdk.api.StartStatus;
import io.rustless.sdk.higress.Log;
import io.rustless.sdk.higress.rules.MatchedConfig;
import io.rustless.sdk.higress.rules.RuleMatcher;
import io.rustless.sdk.higress.sse.EventStream;
import io.rustless.sdk.lang.Utf8;
import java.io.ByteArrayOutputStream;
import java.util.Optional;

/**
 * Stamps every server-sent event of a {@code text/event-stream} response with how long after the
 * request it left the gateway: each event {@code E} becomes {@code ": server-timing:
 * <vendor>;dur=<ms>\nE\n\n"}. Events split across chunks are reassembled (the SDK's {@link
 * EventStream}, with Higress's end-of-line rules); a chunk without a complete event sends nothing
 * and its bytes wait for the next; whatever is left at the end is flushed as a last event.
 *
 * <p>Unlike the anchor, the whole chunk is replaced (the anchor overwrote only a prefix, leaving
 * stale bytes when the rewritten events were shorter than the chunk), and events that are not UTF-8
 * pass through with their bytes intact instead of aborting the VM.
 */
public final class SseTimingPlugin {
  static final Log LOG = Log.of("sse-timing");

  private SseTimingPlugin() {}

  public static void main(String[] args) {
    ProxyWasm.setRootContext(id -> new Root());
  }

  static final class Root implements RootContext {
    private RuleMatcher<SseTimingConfig> rules = RuleMatcher.empty();

    @Override
    public StartStatus onConfigure(int size) {
      Optional<RuleMatcher<SseTimingConfig>> parsed =
          RuleMatcher.configure(this, SseTimingConfig::parse, LOG);
      parsed.ifPresent(m -> rules = m);
      return StartStatus.of(parsed.isPresent());
    }

    @Override
    public HttpContext createHttpContext(int contextId) {
      return new Timing(rules);
    }
  }

  static final class Timing implements HttpContext {
    private final RuleMatcher<SseTimingConfig> rules;
    private final EventStream events = new EventStream();
    private byte[] prefixStart;
    private long startNanos;
    private boolean eventStream;

    Timing(RuleMatcher<SseTimingConfig> rules) {
      this.rules = rules;
    }

    @Override
    public HeaderAction onRequestHeaders(int numHeaders, boolean endOfStream) {
      startNanos = getCurrentTimeNanos();
      Optional<MatchedConfig<SseTimingConfig>> config = rules.matchCurrentRequest();
      String vendor = config.map(m -> m.config().vendor()).orElse(SseTimingConfig.DEFAULT_VENDOR);
      prefixStart = Utf8.encode(": server-timing: " + vendor + ";dur=");
      return HeaderAction.CONTINUE;
    }

    @Override
    public HeaderAction onResponseHeaders(int numHeaders, boolean endOfStream) {
      Optional<String> type = getHttpResponseHeader("content-type");
      if (type.isEmpty()) {
        LOG.warn("upstream response is not set Content-Type, skipped");
      } else if (type.get().startsWith("text/event-stream")) {
        eventStream = true;
        removeHttpResponseHeader("content-length"); // the stamps change the length
      } else {
        LOG.warnf(
            "upstream response Content-Type is not text/event-stream, but {}, skipped", type.get());
      }
      return HeaderAction.CONTINUE;
    }

    @Override
    public DataAction onResponseBody(int bodySize, boolean endOfStream) {
      if (!eventStream || prefixStart == null) {
        return DataAction.CONTINUE;
      }
      events.update(getHttpResponseBody(0, bodySize).orElse(new byte[0]));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (Optional<byte[]> e = events.next(); e.isPresent(); e = events.next()) {
        stamp(e.get(), out);
      }
      if (endOfStream) {
        events.flush().ifPresent(rest -> stamp(rest, out));
      }
      setHttpResponseBody(out.toByteArray());
      // nothing complete yet: the bytes wait in the plugin, nothing goes to the client
      return out.size() == 0 && !endOfStream
          ? DataAction.STOP_ITERATION_NO_BUFFER
          : DataAction.CONTINUE;
    }

    private void stamp(byte[] event, ByteArrayOutputStream out) {
      if (event.length == 0) {
        return; // the anchor drops empty events (runs of blank lines) too
      }
      long millis = Math.max(0, (getCurrentTimeNanos() - startNanos) / 1_000_000);
      out.write(prefixStart, 0, prefixStart.length);
      byte[] dur = Utf8.encode(Long.toString(millis));
      out.write(dur, 0, dur.length);
      out.write('\n');
      out.write(event, 0, event.length);
      out.write('\n');
      out.write('\n');
    }
  }
}
