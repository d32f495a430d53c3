package io.rustless.cli.gateway;

import io.rustless.host.PluginTrapException;
import io.rustless.host.Vm;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A plugin's workers, each with its own VM of the plugin, as Envoy runs one VM per plugin per
 * worker thread. A VM serves any number of requests at once (their streams take turns in it, as in
 * Envoy's event loop). A request is given a worker ({@link #vm(int)}, the same for every plugin of
 * its chain, as Envoy's connection is bound to one worker thread). A VM that trapped is replaced
 * for the requests that come after, and each VM's timer ticks as its plugin asked.
 */
final class Workers implements AutoCloseable {
  private final Supplier<Vm> factory;
  private final Consumer<String> log;
  private final List<Vm> vms;
  private final AtomicInteger started = new AtomicInteger();
  private final ScheduledExecutorService timers;

  /** {@code first} (already started, its configuration checked) and {@code count - 1} more. */
  Workers(Vm first, int count, Supplier<Vm> factory, Consumer<String> log) {
    this.factory = factory;
    this.log = log;
    this.vms = new ArrayList<>();
    this.timers =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "rustless-gateway-timers");
              t.setDaemon(true);
              return t;
            });
    add(first);
    for (int i = 1; i < count; i++) {
      add(factory.get());
    }
  }

  private void add(Vm vm) {
    synchronized (vms) {
      vms.add(vm);
    }
    started.incrementAndGet();
    scheduleTick(vm);
  }

  /** Ticks {@code vm} after its period, again and again while it asks for ticks. */
  private void scheduleTick(Vm vm) {
    int period = vm.tickPeriodMillis();
    if (period <= 0 || timers.isShutdown()) {
      return;
    }
    timers.schedule(
        () -> {
          if (vm.isFailed()) {
            return;
          }
          try {
            vm.tick();
          } catch (RuntimeException e) {
            log.accept("plugin tick failed: " + e.getMessage());
          }
          scheduleTick(vm);
        },
        period,
        TimeUnit.MILLISECONDS);
  }

  /** The VM of worker {@code worker} (modulo the count), a failed one replaced by a new one. */
  Vm vm(int worker) {
    synchronized (vms) {
      int i = Math.floorMod(worker, vms.size());
      if (vms.get(i).isFailed()) {
        replace(i);
      }
      return vms.get(i);
    }
  }

  private void replace(int i) {
    Vm old = vms.get(i);
    log.accept("the VM of worker " + i + " failed; a new one serves the requests after");
    try {
      Vm vm = factory.get();
      vms.set(i, vm);
      started.incrementAndGet();
      scheduleTick(vm);
    } catch (PluginTrapException | IllegalStateException e) {
      log.accept("cannot start a new VM for worker " + i + ": " + e.getMessage());
      return;
    }
    closeQuietly(old);
  }

  /** The number of workers, i.e. of VMs serving at once. */
  int size() {
    synchronized (vms) {
      return vms.size();
    }
  }

  /** How many VMs were started in all (replacements included). */
  int vmsStarted() {
    return started.get();
  }

  @Override
  public void close() {
    timers.shutdownNow();
    synchronized (vms) {
      for (Vm vm : vms) {
        closeQuietly(vm);
      }
    }
  }

  private static void closeQuietly(Vm vm) {
    try {
      vm.close();
    } catch (RuntimeException e) {
      // a VM that fails while closing has nothing left to serve
    }
  }
}
