package io.rustless.operator.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The cap on concurrent builds: first come, first served; freed slots wake the next in line. */
class BuildSlotsTest {

  private final List<ResourceID> woken = new ArrayList<>();
  private final BuildSlots slots = new BuildSlots(2, Clock.systemUTC(), woken::add);

  private static ResourceID id(String name) {
    return new ResourceID(name, "ns");
  }

  @Test
  void grantsUpToTheCapThenQueuesInArrivalOrder() {
    Set<ResourceID> running = new HashSet<>();

    assertThat(slots.acquire(id("a"), running)).isTrue();
    assertThat(slots.acquire(id("b"), running)).isTrue();
    // a and b's Jobs show up in the informer: their grants become running builds.
    running.addAll(Set.of(id("a"), id("b")));
    assertThat(slots.acquire(id("c"), running)).isFalse();
    assertThat(slots.acquire(id("d"), running)).isFalse();
    assertThat(slots.acquire(id("c"), running)).isFalse();
    assertThat(slots.queue()).containsExactly(id("c"), id("d"));

    // a finishes: the head of the queue is woken, and gets the slot before d.
    running.remove(id("a"));
    slots.release(id("a"), () -> running);
    assertThat(woken).containsExactly(id("c"));
    assertThat(slots.acquire(id("d"), running)).isFalse();
    assertThat(slots.acquire(id("c"), running)).isTrue();
    assertThat(slots.queue()).containsExactly(id("d"));
  }

  @Test
  void aGrantCountsUntilItsJobAppearsSoTwoReconcilesCannotOverbook() {
    Set<ResourceID> running = Set.of();

    assertThat(slots.acquire(id("a"), running)).isTrue();
    assertThat(slots.acquire(id("b"), running)).isTrue();
    assertThat(slots.acquire(id("c"), running)).isFalse();
  }

  @Test
  void leavingTheQueueFreesThePlace() {
    Set<ResourceID> running = Set.of(id("x"), id("y"));
    slots.acquire(id("c"), running);
    slots.acquire(id("d"), running);

    slots.release(id("c"), () -> running);

    assertThat(slots.queue()).containsExactly(id("d"));
  }

  @Test
  void noCapGrantsEverything() {
    var unlimited = new BuildSlots(0, Clock.systemUTC(), woken::add);

    for (int i = 0; i < 100; i++) {
      assertThat(unlimited.acquire(id("s" + i), Set.of())).isTrue();
    }
    assertThat(unlimited.queue()).isEmpty();
  }
}
