package io.rustless.cli.serve;

import io.rustless.testing.LogEntry;
import io.rustless.testing.TestHost;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Plugin instances, one per request at a time, like Envoy's per-worker VMs: a host runs one stream
 * at a time, so concurrent requests each take their own and a long SSE stream holds one. Created on
 * demand up to a maximum; a request waits when all are busy.
 */
final class PluginPool implements AutoCloseable {
  private final Supplier<TestHost> factory;
  private final int max;
  private final BlockingQueue<Worker> idle = new LinkedBlockingQueue<>();
  private int created;
  private boolean closed;

  PluginPool(Supplier<TestHost> factory, int max) {
    this.factory = factory;
    this.max = max;
  }

  /** One plugin instance and how many of its log lines were already shown. */
  static final class Worker {
    final TestHost host;
    private int logsShown;

    Worker(TestHost host) {
      this.host = host;
    }

    void showNewLogs(Consumer<String> sink) {
      List<LogEntry> logs = host.getLogs();
      for (int i = logsShown; i < logs.size(); i++) {
        sink.accept("  plugin " + logs.get(i));
      }
      logsShown = logs.size();
    }
  }

  /** Adds an already started host (the first, whose configuration was checked). */
  synchronized void add(TestHost host) {
    created++;
    idle.add(new Worker(host));
  }

  Worker acquire() throws InterruptedException {
    Worker w = idle.poll();
    if (w != null) {
      return w;
    }
    boolean create;
    synchronized (this) {
      create = created < max && !closed;
      if (create) {
        created++;
      }
    }
    if (create) {
      try {
        return new Worker(factory.get());
      } catch (RuntimeException | Error e) {
        synchronized (this) {
          created--;
        }
        throw e;
      }
    }
    return idle.take();
  }

  /** Returns a worker; a broken one (the VM trapped) is dropped and replaced on demand. */
  void release(Worker w, boolean healthy) {
    boolean keep;
    synchronized (this) {
      keep = healthy && !closed;
      if (!keep) {
        created--;
      }
    }
    if (keep) {
      idle.add(w);
    } else {
      closeQuietly(w.host);
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    Worker w;
    while ((w = idle.poll()) != null) {
      closeQuietly(w.host);
    }
  }

  private static void closeQuietly(TestHost host) {
    try {
      host.close();
    } catch (RuntimeException | AssertionError e) {
      // closing a plugin instance cannot fail a request
    }
  }
}
