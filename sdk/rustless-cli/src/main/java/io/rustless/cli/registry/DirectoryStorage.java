package io.rustless.cli.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * {@link RegistryStorage#directory(Path)}. Every file is written to {@code uploads/} first and
 * moved into place atomically, so a crash leaves either the old state or the new, never a torn
 * file. Repository metadata is small files: an empty link per blob, the media type per manifest,
 * the digest per tag.
 */
final class DirectoryStorage implements RegistryStorage {
  private static final String BLOBS = "_blobs";
  private static final String MANIFESTS = "_manifests";
  private static final String TAGS = "_tags";

  private final Path root;
  private final Path blobs;
  private final Path uploads;
  private final Path repositories;

  DirectoryStorage(Path directory) throws IOException {
    this.root = directory.toAbsolutePath().normalize();
    this.blobs = root.resolve("blobs");
    this.uploads = root.resolve("uploads");
    this.repositories = root.resolve("repositories");
    Files.createDirectories(blobs);
    Files.createDirectories(repositories);
    if (Files.isDirectory(uploads)) {
      try (Stream<Path> stale = Files.list(uploads)) {
        for (Path p : (Iterable<Path>) stale::iterator) {
          Files.deleteIfExists(p);
        }
      }
    }
    Files.createDirectories(uploads);
  }

  private Path blobPath(Digest d) {
    return blobs.resolve(d.algorithm()).resolve(d.hex());
  }

  private Path repoPath(String repository) {
    // Names are validated against the spec's grammar before they get here: lower-case components
    // separated by '/', none starting with '_' or '.', so they cannot escape or collide with _dirs.
    return repositories.resolve(repository);
  }

  private Path linkPath(String repository, Digest d) {
    return repoPath(repository).resolve(BLOBS).resolve(d.algorithm()).resolve(d.hex());
  }

  private Path manifestPath(String repository, Digest d) {
    return repoPath(repository).resolve(MANIFESTS).resolve(d.algorithm()).resolve(d.hex());
  }

  private Path tagPath(String repository, String tag) {
    return repoPath(repository).resolve(TAGS).resolve(tag);
  }

  private Path tempFile() {
    return uploads.resolve(".tmp-" + UUID.randomUUID());
  }

  private void writeAtomically(Path target, byte[] content) throws IOException {
    Files.createDirectories(target.getParent());
    Path tmp = tempFile();
    try (FileChannel ch =
        FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(content);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    move(tmp, target, true);
  }

  private static void move(Path from, Path to, boolean replace) throws IOException {
    try {
      if (replace) {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (AtomicMoveNotSupportedException e) {
      if (replace) {
        Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.move(from, to);
      }
    }
  }

  @Override
  public OptionalLong blobSize(Digest digest) throws IOException {
    Path p = blobPath(digest);
    try {
      return OptionalLong.of(Files.size(p));
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    }
  }

  @Override
  public InputStream openBlob(Digest digest) throws IOException {
    return Files.newInputStream(blobPath(digest));
  }

  @Override
  public synchronized void putBlob(Digest digest, byte[] content) throws IOException {
    Path target = blobPath(digest);
    if (!Files.exists(target)) {
      writeAtomically(target, content);
    }
  }

  @Override
  public BlobWriter newWriter() throws IOException {
    return new FileWriter(tempFile());
  }

  @Override
  public boolean hasLink(String repository, Digest blob) {
    return Files.exists(linkPath(repository, blob));
  }

  @Override
  public synchronized void link(String repository, Digest blob) throws IOException {
    Path p = linkPath(repository, blob);
    if (!Files.exists(p)) {
      writeAtomically(p, new byte[0]);
    }
  }

  @Override
  public synchronized boolean unlink(String repository, Digest blob) throws IOException {
    boolean removed = Files.deleteIfExists(linkPath(repository, blob));
    pruneEmpty(repository);
    return removed;
  }

  @Override
  public Optional<String> manifestType(String repository, Digest digest) throws IOException {
    try {
      return Optional.of(
          Files.readString(manifestPath(repository, digest), StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public synchronized void putManifest(String repository, Digest digest, String mediaType)
      throws IOException {
    writeAtomically(manifestPath(repository, digest), mediaType.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public synchronized boolean deleteManifest(String repository, Digest digest) throws IOException {
    if (!Files.deleteIfExists(manifestPath(repository, digest))) {
      return false;
    }
    for (var e : tags(repository).entrySet()) {
      if (e.getValue().equals(digest)) {
        Files.deleteIfExists(tagPath(repository, e.getKey()));
      }
    }
    pruneEmpty(repository);
    return true;
  }

  @Override
  public List<Digest> manifests(String repository) throws IOException {
    List<Digest> out = new ArrayList<>();
    Path dir = repoPath(repository).resolve(MANIFESTS);
    for (Path alg : list(dir)) {
      for (Path f : list(alg)) {
        Digest.parse(alg.getFileName() + ":" + f.getFileName()).ifPresent(out::add);
      }
    }
    return out;
  }

  @Override
  public Optional<Digest> resolveTag(String repository, String tag) throws IOException {
    try {
      return Digest.parse(
          Files.readString(tagPath(repository, tag), StandardCharsets.UTF_8).strip());
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public synchronized void tag(String repository, String tag, Digest manifest) throws IOException {
    writeAtomically(tagPath(repository, tag), manifest.toString().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public synchronized boolean untag(String repository, String tag) throws IOException {
    boolean removed = Files.deleteIfExists(tagPath(repository, tag));
    pruneEmpty(repository);
    return removed;
  }

  @Override
  public SortedMap<String, Digest> tags(String repository) throws IOException {
    SortedMap<String, Digest> out = new TreeMap<>();
    for (Path f : list(repoPath(repository).resolve(TAGS))) {
      String name = f.getFileName().toString();
      resolveTag(repository, name).ifPresent(d -> out.put(name, d));
    }
    return out;
  }

  @Override
  public boolean repositoryExists(String repository) throws IOException {
    Path r = repoPath(repository);
    return !list(r.resolve(TAGS)).isEmpty()
        || hasFileBelow(r.resolve(MANIFESTS))
        || hasFileBelow(r.resolve(BLOBS));
  }

  @Override
  public SortedSet<String> repositories() throws IOException {
    SortedSet<String> out = new TreeSet<>();
    try (Stream<Path> all = Files.walk(repositories)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        String leaf = p.getFileName().toString();
        if (Files.isDirectory(p)
            && (leaf.equals(BLOBS) || leaf.equals(MANIFESTS) || leaf.equals(TAGS))) {
          String name = repositories.relativize(p.getParent()).toString().replace('\\', '/');
          if (repositoryExists(name)) {
            out.add(name);
          }
        }
      }
    }
    return out;
  }

  private boolean hasFileBelow(Path dir) throws IOException {
    for (Path alg : list(dir)) {
      if (!list(alg).isEmpty()) {
        return true;
      }
    }
    return false;
  }

  private static List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
    } catch (NoSuchFileException e) {
      return List.of();
    }
  }

  /** Removes the directories of a repository that has nothing left, up to repositories/. */
  private void pruneEmpty(String repository) throws IOException {
    if (repositoryExists(repository)) {
      return;
    }
    Path r = repoPath(repository);
    if (Files.exists(r)) {
      try (Stream<Path> all = Files.walk(r)) {
        List<Path> dirs = all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList();
        for (Path p : dirs) {
          try {
            Files.deleteIfExists(p);
          } catch (DirectoryNotEmptyException e) {
            // a nested repository (a/b under a) keeps its parents
          }
        }
      }
    }
    for (Path p = r.getParent(); p != null && !p.equals(repositories); p = p.getParent()) {
      try {
        Files.deleteIfExists(p);
      } catch (DirectoryNotEmptyException e) {
        break;
      }
    }
  }

  private final class FileWriter implements BlobWriter {
    private final Path file;
    private final FileChannel channel;
    private boolean done;

    FileWriter(Path file) throws IOException {
      this.file = file;
      this.channel =
          FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws IOException {
      ByteBuffer b = ByteBuffer.wrap(buffer, offset, length);
      while (b.hasRemaining()) {
        channel.write(b);
      }
    }

    @Override
    public long size() {
      try {
        return channel.position();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void truncate(long size) throws IOException {
      channel.truncate(size);
      channel.position(Math.min(size, channel.position()));
    }

    @Override
    public InputStream read() throws IOException {
      return Files.newInputStream(file);
    }

    @Override
    public void commit(Digest digest) throws IOException {
      channel.force(true);
      channel.close();
      Path target = blobPath(digest);
      Files.createDirectories(target.getParent());
      synchronized (DirectoryStorage.this) {
        if (Files.exists(target)) {
          Files.deleteIfExists(file);
        } else {
          try {
            move(file, target, false);
          } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(file);
          }
        }
      }
      done = true;
    }

    @Override
    public void close() throws IOException {
      if (!done) {
        done = true;
        channel.close();
        Files.deleteIfExists(file);
      }
    }
  }

  @Override
  public String toString() {
    return root.toString();
  }
}
