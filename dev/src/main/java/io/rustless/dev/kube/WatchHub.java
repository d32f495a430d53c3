package io.rustless.dev.kube;

import io.fabric8.mockwebserver.crud.AttributeSet;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Watches with the API server's resourceVersion semantics, which the mock's own websocket watch
 * lacks (it replays everything as ADDED on every connect): a watch from resourceVersion R gets
 * every change after R in order, then live changes; one older than the retained history gets the
 * API server's {@code 410 Expired} ERROR event, so that informers relist. The transport (chunked
 * HTTP for kubectl, websockets for fabric8) is a {@link Sink}.
 */
final class WatchHub {
  enum Type {
    ADDED,
    MODIFIED,
    DELETED
  }

  /** Where a watch's events go; {@link #send} returns false once the client has gone. */
  interface Sink {
    boolean send(String eventJson);

    void close();
  }

  private record Event(
      long rv, Type type, String object, AttributeSet before, AttributeSet after) {}

  private final int capacity;
  private final ArrayDeque<Event> log = new ArrayDeque<>();
  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
  private long forgottenUpTo;

  WatchHub(int capacity) {
    this.capacity = capacity;
  }

  /** One open watch. */
  final class Subscription {
    private final AttributeSet query;
    private final Sink sink;
    private volatile boolean closed;

    private Subscription(AttributeSet query, Sink sink) {
      this.query = query;
      this.sink = sink;
    }

    void close() {
      closed = true;
      subscriptions.remove(this);
      sink.close();
    }

    boolean isClosed() {
      return closed;
    }
  }

  synchronized void publish(
      Type type, String object, String resourceVersion, AttributeSet before, AttributeSet after) {
    long rv;
    try {
      rv = Long.parseLong(resourceVersion);
    } catch (NumberFormatException e) {
      rv = 0;
    }
    Event e = new Event(rv, type, object, before, after);
    log.addLast(e);
    while (log.size() > capacity) {
      forgottenUpTo = log.removeFirst().rv();
    }
    for (Subscription s : subscriptions) {
      deliver(s, e);
    }
  }

  /**
   * Opens a watch for objects matching {@code query} with every change after {@code fromRv}; an
   * ERROR event and a closed watch if that is older than what is retained.
   */
  synchronized Subscription subscribe(AttributeSet query, long fromRv, Sink sink) {
    Subscription s = new Subscription(Objects.requireNonNull(query), Objects.requireNonNull(sink));
    if (fromRv < forgottenUpTo) {
      sink.send(
          "{\"type\":\"ERROR\",\"object\":"
              + Statuses.json(
                  410,
                  "Expired",
                  "too old resource version: " + fromRv + " (" + (forgottenUpTo + 1) + ")")
              + "}");
      s.closed = true;
      sink.close();
      return s;
    }
    for (Event e : log) {
      if (e.rv() > fromRv) {
        deliver(s, e);
      }
    }
    if (!s.closed) {
      subscriptions.add(s);
    }
    return s;
  }

  /** Watches open now. */
  int open() {
    return subscriptions.size();
  }

  void closeAll() {
    for (Subscription s : List.copyOf(subscriptions)) {
      s.close();
    }
  }

  private void deliver(Subscription s, Event e) {
    if (s.closed) {
      return;
    }
    boolean before = e.before() != null && e.before().matches(s.query);
    boolean after = e.after() != null && e.after().matches(s.query);
    Type type;
    if (before && after) {
      type = Type.MODIFIED;
    } else if (before) {
      type = Type.DELETED;
    } else if (after) {
      type = Type.ADDED;
    } else {
      return;
    }
    if (!s.sink.send(event(type, e.object()))) {
      s.close();
    }
  }

  static String event(Type type, String objectJson) {
    return "{\"type\":\"" + type + "\",\"object\":" + objectJson + "}";
  }
}
