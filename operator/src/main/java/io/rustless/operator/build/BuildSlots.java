package io.rustless.operator.build;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The cap on concurrent builds, first come first served. A source holds a slot while a build Job of
 * it runs (as the Job informer shows) or from the moment it was granted one until its Job shows up
 * there. Sources that find no free slot queue in arrival order and are woken, through {@code wake},
 * when slots free up.
 */
public final class BuildSlots {

  /** A grant whose Job never appeared (the create failed) expires after this. */
  private static final Duration GRANT_TTL = Duration.ofMinutes(2);

  private final int max;
  private final Clock clock;
  private final Consumer<ResourceID> wake;
  private final LinkedHashSet<ResourceID> waiting = new LinkedHashSet<>();
  private final Map<ResourceID, Instant> granted = new HashMap<>();

  /**
   * @param max builds at once; 0 or less: no cap
   * @param wake asks for a reconcile of a queued source whose turn may have come
   */
  public BuildSlots(int max, Clock clock, Consumer<ResourceID> wake) {
    this.max = max;
    this.clock = clock;
    this.wake = wake;
  }

  public int max() {
    return max;
  }

  /**
   * Asks for a slot for {@code source}, given the sources whose build Jobs run now.
   *
   * @return true if {@code source} may create its build Job now
   */
  public boolean acquire(ResourceID source, Set<ResourceID> running) {
    List<ResourceID> toWake;
    boolean result;
    synchronized (this) {
      expire(running);
      if (max <= 0 || running.contains(source) || granted.containsKey(source)) {
        waiting.remove(source);
        return true;
      }
      waiting.add(source);
      int free = max - occupied(running);
      int position = 0;
      result = false;
      for (ResourceID id : waiting) {
        if (position++ >= free) {
          break;
        }
        if (id.equals(source)) {
          result = true;
          break;
        }
      }
      if (result) {
        waiting.remove(source);
        granted.put(source, clock.instant());
      }
      toWake = result ? List.of() : headOf(free);
    }
    // A head waiter whose event was missed would otherwise wait for its poll.
    toWake.stream().filter(id -> !id.equals(source)).forEach(wake);
    return result;
  }

  /**
   * {@code source} needs no slot any more (its build finished, it was deleted, or it no longer
   * builds): frees its grant, leaves the queue, and wakes the next waiters.
   */
  public void release(ResourceID source, Supplier<Set<ResourceID>> runningNow) {
    List<ResourceID> toWake;
    synchronized (this) {
      boolean changed = waiting.remove(source) | granted.remove(source) != null;
      if (!changed && waiting.isEmpty()) {
        return;
      }
      Set<ResourceID> running = runningNow.get();
      expire(running);
      Set<ResourceID> others = new LinkedHashSet<>(running);
      others.remove(source);
      toWake = headOf(max - occupied(others));
    }
    toWake.forEach(wake);
  }

  /** Sources waiting, in order (for tests and logs). */
  public synchronized List<ResourceID> queue() {
    return List.copyOf(waiting);
  }

  private int occupied(Set<ResourceID> running) {
    Set<ResourceID> all = new LinkedHashSet<>(running);
    all.addAll(granted.keySet());
    return all.size();
  }

  private List<ResourceID> headOf(int free) {
    var head = new ArrayList<ResourceID>();
    for (ResourceID id : waiting) {
      if (head.size() >= free) {
        break;
      }
      head.add(id);
    }
    return head;
  }

  /** A grant ends when its Job is seen running (the informer now counts it) or after a while. */
  private void expire(Set<ResourceID> running) {
    Instant now = clock.instant();
    granted
        .entrySet()
        .removeIf(e -> running.contains(e.getKey()) || e.getValue().plus(GRANT_TTL).isBefore(now));
  }
}
