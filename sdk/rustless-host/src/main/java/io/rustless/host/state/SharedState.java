package io.rustless.host.state;

import io.rustless.sdk.host.MetricType;
import io.rustless.sdk.host.SharedData;
import io.rustless.sdk.host.Status;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every VM of one host shares, as Envoy shares it between the VMs of its workers: shared data
 * (with CAS tokens), shared queues and metrics. Thread-safe: VMs on different threads use it at
 * once.
 */
public final class SharedState {
  private final Map<String, SharedEntry> sharedData = new LinkedHashMap<>();
  private final Map<String, Queue> queuesByName = new LinkedHashMap<>();
  private final List<Queue> queues = new ArrayList<>();
  private final Map<String, Integer> metricIds = new LinkedHashMap<>();
  private final List<Metric> metrics = new ArrayList<>();

  private record SharedEntry(byte[] value, int cas) {}

  /** A metric as the host keeps it. */
  public record Metric(MetricType type, String name, long value) {}

  /** A queue and the VM that registered it (the one told when items arrive). */
  private static final class Queue {
    final int id;
    final Object owner;
    final Deque<byte[]> items = new ArrayDeque<>();
    boolean ready;

    Queue(int id, Object owner) {
      this.id = id;
      this.owner = owner;
    }
  }

  // ---- shared data --------------------------------------------------------------------------

  /** The value and CAS token under {@code key}, or null. */
  public synchronized SharedData getSharedData(String key) {
    SharedEntry e = sharedData.get(key);
    return e == null ? null : new SharedData(e.value().clone(), e.cas());
  }

  /** Writes {@code key}; {@code cas} 0 writes unconditionally, else only at that token. */
  public synchronized Status setSharedData(String key, byte[] value, int cas) {
    SharedEntry e = sharedData.get(key);
    int current = e == null ? 0 : e.cas();
    if (cas != 0 && cas != current) {
      return Status.CAS_MISMATCH;
    }
    sharedData.put(key, new SharedEntry(value.clone(), current + 1));
    return Status.OK;
  }

  // ---- queues -------------------------------------------------------------------------------

  /** The id of queue {@code name}, registering it for {@code owner} if it is new. */
  public synchronized int registerQueue(String name, Object owner) {
    Queue q = queuesByName.get(name);
    if (q == null) {
      q = new Queue(queues.size() + 1, owner);
      queues.add(q);
      queuesByName.put(name, q);
    }
    return q.id;
  }

  /** The id of queue {@code name}, or -1 (every VM of this host answers to any vm id). */
  public synchronized int resolveQueue(String vmId, String name) {
    Queue q = queuesByName.get(name);
    return q == null ? -1 : q.id;
  }

  public synchronized Status enqueue(int queueId, byte[] value) {
    Queue q = queue(queueId);
    if (q == null) {
      return Status.NOT_FOUND;
    }
    q.items.addLast(value.clone());
    q.ready = true;
    return Status.OK;
  }

  /** The oldest item; null with {@code Status.EMPTY}/{@code NOT_FOUND} in {@code status[0]}. */
  public synchronized byte[] dequeue(int queueId, Status[] status) {
    Queue q = queue(queueId);
    if (q == null) {
      status[0] = Status.NOT_FOUND;
      return null;
    }
    byte[] item = q.items.pollFirst();
    status[0] = item == null ? Status.EMPTY : Status.OK;
    return item;
  }

  /** The queues of {@code owner} that received items since the last call (for onQueueReady). */
  public synchronized List<Integer> takeReadyQueues(Object owner) {
    List<Integer> out = new ArrayList<>();
    for (Queue q : queues) {
      if (q.ready && q.owner == owner) {
        q.ready = false;
        out.add(q.id);
      }
    }
    return out;
  }

  private Queue queue(int id) {
    return id < 1 || id > queues.size() ? null : queues.get(id - 1);
  }

  // ---- metrics ------------------------------------------------------------------------------

  /** The id of metric {@code name}, defining it if it is new. */
  public synchronized int defineMetric(MetricType type, String name) {
    Integer id = metricIds.get(name);
    if (id != null) {
      return id;
    }
    metrics.add(new Metric(type, name, 0));
    metricIds.put(name, metrics.size());
    return metrics.size();
  }

  public synchronized Status incrementMetric(int id, long offset) {
    Metric m = metric(id);
    if (m == null) {
      return Status.NOT_FOUND;
    }
    if (m.type() == MetricType.HISTOGRAM) {
      return Status.BAD_ARGUMENT;
    }
    metrics.set(id - 1, new Metric(m.type(), m.name(), m.value() + offset));
    return Status.OK;
  }

  public synchronized Status recordMetric(int id, long value) {
    Metric m = metric(id);
    if (m == null) {
      return Status.NOT_FOUND;
    }
    // a histogram keeps its last sample here; a counter cannot be set
    if (m.type() == MetricType.COUNTER) {
      return Status.BAD_ARGUMENT;
    }
    metrics.set(id - 1, new Metric(m.type(), m.name(), value));
    return Status.OK;
  }

  /** The metric with id {@code id}, or null. */
  public synchronized Metric metric(int id) {
    return id < 1 || id > metrics.size() ? null : metrics.get(id - 1);
  }

  /** The metric named {@code name}, or null. */
  public synchronized Metric metric(String name) {
    Integer id = metricIds.get(name);
    return id == null ? null : metrics.get(id - 1);
  }
}
