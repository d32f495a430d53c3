package io.rustless.cli.gateway.resource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Resources from YAML files and directories ({@code --resources}), re-read when they change. The
 * files are polled (content hashes, every {@code interval}): file-system events are not delivered
 * for every editor's way of saving, nor on every file system.
 *
 * <p>A changed file is read once its content has stayed the same for one more poll: a file being
 * written (truncated, then filled) is not taken for an empty one. A file that stops parsing keeps
 * the objects of its last good version, and the problem is reported with each snapshot until it is
 * fixed; a file that disappears takes its objects with it (as {@code kubectl delete -f} would). An
 * object defined in two files is taken from the later one.
 */
public final class FileResourceSource implements ResourceSource {
  private final List<Path> paths;
  private final Duration interval;
  private final Map<Path, FileState> files = new LinkedHashMap<>();
  private final Map<Path, String> changing = new LinkedHashMap<>();
  private ScheduledExecutorService poller;
  private Consumer<ResourceSnapshot> listener;
  private ResourceSnapshot last;
  private volatile boolean closed;

  private record FileState(String hash, List<KubeObject> objects, String problem) {}

  public FileResourceSource(List<Path> paths, Duration interval) {
    if (paths.isEmpty()) {
      throw new ResourceException("no resource paths given");
    }
    this.paths = List.copyOf(paths);
    this.interval = Objects.requireNonNull(interval);
    if (interval.isNegative() || interval.isZero()) {
      throw new ResourceException("the poll interval must be positive");
    }
  }

  @Override
  public String describe() {
    List<String> names = new ArrayList<>();
    for (Path p : paths) {
      names.add(p + (Files.isDirectory(p) ? "/" : ""));
    }
    return (paths.size() == 1 ? "" : paths.size() + " paths: ") + String.join(", ", names);
  }

  @Override
  public synchronized void start(Consumer<ResourceSnapshot> listener) {
    if (this.listener != null) {
      throw new IllegalStateException("already started");
    }
    for (Path p : paths) {
      if (!Files.exists(p)) {
        throw new ResourceException("resources: " + p + " does not exist");
      }
    }
    this.listener = Objects.requireNonNull(listener);
    poll();
    poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "rustless-gateway-files");
              t.setDaemon(true);
              return t;
            });
    long ms = interval.toMillis();
    poller.scheduleWithFixedDelay(this::pollQuietly, ms, ms, TimeUnit.MILLISECONDS);
  }

  private void pollQuietly() {
    try {
      poll();
    } catch (RuntimeException e) {
      // A poll that fails (a file system gone away) tries again next time.
    }
  }

  /** Reads what changed and delivers a snapshot if anything did. */
  synchronized void poll() {
    if (closed) {
      return;
    }
    Set<Path> seen = new LinkedHashSet<>();
    List<String> listingProblems = new ArrayList<>();
    for (Path p : paths) {
      try {
        seen.addAll(YamlResources.files(p));
      } catch (ResourceException e) {
        listingProblems.add(e.getMessage());
      }
    }
    files.keySet().retainAll(seen);
    changing.keySet().retainAll(seen);
    boolean first = last == null;
    for (Path f : seen) {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(f);
      } catch (IOException e) {
        continue; // removed between listing and reading: next poll drops it
      }
      String hash = sha256(bytes);
      FileState old = files.get(f);
      if (old != null && old.hash.equals(hash)) {
        changing.remove(f);
        continue;
      }
      if (!first && !hash.equals(changing.put(f, hash))) {
        continue; // changed since the last poll: read it when it has settled
      }
      changing.remove(f);
      try {
        files.put(f, new FileState(hash, YamlResources.read(bytes, f.toString()), null));
      } catch (ResourceException e) {
        List<KubeObject> kept = old == null ? List.of() : old.objects;
        String problem =
            e.getMessage()
                + (old == null || old.objects.isEmpty()
                    ? ""
                    : " (its last good version stays in use)");
        files.put(f, new FileState(hash, kept, problem));
      }
    }
    ResourceSnapshot snapshot = assemble(listingProblems);
    if (!snapshot.equals(last)) {
      last = snapshot;
      listener.accept(snapshot);
    }
  }

  private ResourceSnapshot assemble(List<String> listingProblems) {
    Map<String, KubeObject> byIdentity = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>(listingProblems);
    for (FileState s : files.values()) {
      if (s.problem != null) {
        problems.add(s.problem);
      }
      for (KubeObject o : s.objects) {
        String id = o.apiVersion().replaceFirst("/.*", "") + "/" + o.kind() + "/" + o.key();
        KubeObject before = byIdentity.remove(id);
        if (before != null) {
          problems.add(
              o.describe()
                  + " is defined twice ("
                  + before.origin()
                  + " and "
                  + o.origin()
                  + "); the later one is used");
        }
        byIdentity.put(id, o);
      }
    }
    return new ResourceSnapshot(new ArrayList<>(byIdentity.values()), problems);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    closed = true;
    if (poller != null) {
      poller.shutdownNow();
      try {
        poller.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
