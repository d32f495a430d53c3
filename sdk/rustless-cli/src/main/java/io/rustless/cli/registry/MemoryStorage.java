package io.rustless.cli.registry;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** {@link RegistryStorage#inMemory()}: maps under one lock; blob content as byte arrays. */
final class MemoryStorage implements RegistryStorage {
  private final Map<Digest, byte[]> blobs = new HashMap<>();
  private final Map<String, Repository> repositories = new HashMap<>();

  private static final class Repository {
    final Set<Digest> links = new HashSet<>();
    final Map<Digest, String> manifests = new LinkedHashMap<>();
    final TreeMap<String, Digest> tags = new TreeMap<>();

    boolean isEmpty() {
      return links.isEmpty() && manifests.isEmpty() && tags.isEmpty();
    }
  }

  private Repository repo(String name) {
    return repositories.computeIfAbsent(name, n -> new Repository());
  }

  private Optional<Repository> existing(String name) {
    return Optional.ofNullable(repositories.get(name));
  }

  private void dropIfEmpty(String name) {
    Repository r = repositories.get(name);
    if (r != null && r.isEmpty()) {
      repositories.remove(name);
    }
  }

  @Override
  public synchronized OptionalLong blobSize(Digest digest) {
    byte[] b = blobs.get(digest);
    return b == null ? OptionalLong.empty() : OptionalLong.of(b.length);
  }

  @Override
  public synchronized InputStream openBlob(Digest digest) throws IOException {
    byte[] b = blobs.get(digest);
    if (b == null) {
      throw new NoSuchFileException(digest.toString());
    }
    return new ByteArrayInputStream(b);
  }

  @Override
  public synchronized void putBlob(Digest digest, byte[] content) {
    blobs.putIfAbsent(digest, content.clone());
  }

  @Override
  public BlobWriter newWriter() {
    return new Writer();
  }

  @Override
  public synchronized boolean hasLink(String repository, Digest blob) {
    return existing(repository).map(r -> r.links.contains(blob)).orElse(false);
  }

  @Override
  public synchronized void link(String repository, Digest blob) {
    repo(repository).links.add(blob);
  }

  @Override
  public synchronized boolean unlink(String repository, Digest blob) {
    boolean removed = existing(repository).map(r -> r.links.remove(blob)).orElse(false);
    dropIfEmpty(repository);
    return removed;
  }

  @Override
  public synchronized Optional<String> manifestType(String repository, Digest digest) {
    return existing(repository).map(r -> r.manifests.get(digest));
  }

  @Override
  public synchronized void putManifest(String repository, Digest digest, String mediaType) {
    repo(repository).manifests.put(digest, mediaType);
  }

  @Override
  public synchronized boolean deleteManifest(String repository, Digest digest) {
    Optional<Repository> r = existing(repository);
    if (r.isEmpty() || r.get().manifests.remove(digest) == null) {
      return false;
    }
    r.get().tags.values().removeIf(digest::equals);
    dropIfEmpty(repository);
    return true;
  }

  @Override
  public synchronized List<Digest> manifests(String repository) {
    return existing(repository).map(r -> List.copyOf(r.manifests.keySet())).orElse(List.of());
  }

  @Override
  public synchronized Optional<Digest> resolveTag(String repository, String tag) {
    return existing(repository).map(r -> r.tags.get(tag));
  }

  @Override
  public synchronized void tag(String repository, String tag, Digest manifest) {
    repo(repository).tags.put(tag, manifest);
  }

  @Override
  public synchronized boolean untag(String repository, String tag) {
    boolean removed = existing(repository).map(r -> r.tags.remove(tag) != null).orElse(false);
    dropIfEmpty(repository);
    return removed;
  }

  @Override
  public synchronized SortedMap<String, Digest> tags(String repository) {
    return existing(repository).map(r -> new TreeMap<>(r.tags)).orElseGet(TreeMap::new);
  }

  @Override
  public synchronized boolean repositoryExists(String repository) {
    return existing(repository).map(r -> !r.isEmpty()).orElse(false);
  }

  @Override
  public synchronized SortedSet<String> repositories() {
    SortedSet<String> names = new TreeSet<>();
    repositories.forEach(
        (name, r) -> {
          if (!r.isEmpty()) {
            names.add(name);
          }
        });
    return names;
  }

  private final class Writer implements BlobWriter {
    private byte[] buf = new byte[8192];
    private int size;
    private boolean closed;

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
      if (closed) {
        throw new IOException("upload closed");
      }
      if ((long) size + length > Integer.MAX_VALUE - 8) {
        throw new IOException("a blob held in memory cannot exceed 2 GiB");
      }
      if (size + length > buf.length) {
        buf =
            Arrays.copyOf(
                buf, Math.max(size + length, Math.min(Integer.MAX_VALUE - 8, buf.length * 2)));
      }
      System.arraycopy(buffer, offset, buf, size, length);
      size += length;
    }

    @Override
    public long size() {
      return size;
    }

    @Override
    public void truncate(long newSize) {
      if (newSize < size) {
        size = (int) newSize;
      }
    }

    @Override
    public InputStream read() {
      return new ByteArrayInputStream(buf, 0, size);
    }

    @Override
    public void commit(Digest digest) {
      synchronized (MemoryStorage.this) {
        blobs.putIfAbsent(digest, Arrays.copyOf(buf, size));
      }
      close();
    }

    @Override
    public void close() {
      closed = true;
      buf = new byte[0];
      size = 0;
    }
  }

  @Override
  public String toString() {
    return "memory";
  }
}
