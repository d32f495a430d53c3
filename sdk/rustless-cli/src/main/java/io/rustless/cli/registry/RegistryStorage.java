package io.rustless.cli.registry;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * Where an {@link OciRegistry} keeps what was pushed. Blob content is global and content-addressed
 * (stored once, however many repositories hold it); each repository has links to the blobs pushed
 * or mounted into it, its manifests (by digest, with their media type) and its tags. Manifest
 * content is stored as a blob too.
 *
 * <p>Implementations are safe for concurrent use.
 */
public interface RegistryStorage {
  /** Everything in memory, gone when the registry stops. */
  static RegistryStorage inMemory() {
    return new MemoryStorage();
  }

  /**
   * Everything under {@code directory} (created if missing), which survives restarts: {@code
   * blobs/<alg>/<hex>}, {@code repositories/<name>/{_blobs,_manifests,_tags}/…}, and {@code
   * uploads/} for uploads in progress (emptied on start: an upload does not survive a restart).
   */
  static RegistryStorage directory(Path directory) throws IOException {
    return new DirectoryStorage(directory);
  }

  /** The size of the blob with {@code digest}, if its content is stored. */
  OptionalLong blobSize(Digest digest) throws IOException;

  /** The content of a stored blob. */
  InputStream openBlob(Digest digest) throws IOException;

  /** Stores small content (a manifest) under its digest. */
  void putBlob(Digest digest, byte[] content) throws IOException;

  /** A place to write an upload in progress. */
  BlobWriter newWriter() throws IOException;

  boolean hasLink(String repository, Digest blob) throws IOException;

  void link(String repository, Digest blob) throws IOException;

  boolean unlink(String repository, Digest blob) throws IOException;

  /** The media type of manifest {@code digest} in {@code repository}, if it is there. */
  Optional<String> manifestType(String repository, Digest digest) throws IOException;

  /** Records manifest {@code digest} (whose content was {@link #putBlob put}) in a repository. */
  void putManifest(String repository, Digest digest, String mediaType) throws IOException;

  boolean deleteManifest(String repository, Digest digest) throws IOException;

  List<Digest> manifests(String repository) throws IOException;

  Optional<Digest> resolveTag(String repository, String tag) throws IOException;

  void tag(String repository, String tag, Digest manifest) throws IOException;

  boolean untag(String repository, String tag) throws IOException;

  /** The repository's tags in lexical order, each with the manifest it points at. */
  SortedMap<String, Digest> tags(String repository) throws IOException;

  /** Whether anything was ever pushed to {@code repository} (and not all deleted). */
  boolean repositoryExists(String repository) throws IOException;

  SortedSet<String> repositories() throws IOException;

  /**
   * An upload in progress: bytes appended in order, readable again (to compute a digest other than
   * the running sha256), and either committed under its digest or discarded on {@link #close()}.
   */
  interface BlobWriter extends Closeable {
    void write(byte[] buffer, int offset, int length) throws IOException;

    long size();

    /** Drops everything after the first {@code size} bytes (undoes a failed chunk). */
    void truncate(long size) throws IOException;

    InputStream read() throws IOException;

    /** Moves the content into blob storage under {@code digest} (kept if already there). */
    void commit(Digest digest) throws IOException;

    /** Discards the content unless it was committed. */
    @Override
    void close() throws IOException;
  }
}
