package io.rustless.cli.registry;

import com.sun.net.httpserver.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Blob uploads: cross-repository mounts (or the spec's 202 fallback), monolithic uploads in one
 * POST, and sessions fed by PATCH chunks in order and closed by a PUT whose digest is checked
 * against what arrived. A chunk that fails half-way is rolled back, so a client can send it again.
 */
final class Uploads {
  private static final Pattern CONTENT_RANGE = Pattern.compile("^(?:bytes[ =])?(\\d+)-(\\d+)$");
  private static final Digest EMPTY = Digest.sha256(new byte[0]);

  private final RegistryStorage storage;
  private final int maxUploads;
  private final long idleNanos;
  private final Map<String, Upload> uploads = new ConcurrentHashMap<>();

  Uploads(RegistryStorage storage, int maxUploads, Duration idleTimeout) {
    this.storage = storage;
    this.maxUploads = maxUploads;
    this.idleNanos = idleTimeout.toNanos();
  }

  /** Uploads in progress. */
  int open() {
    return uploads.size();
  }

  /** Discards every upload in progress. */
  void closeAll() {
    for (Upload u : List.copyOf(uploads.values())) {
      discard(u);
    }
  }

  /** An upload in progress: where its bytes go, and their running sha256. */
  private static final class Upload {
    final String id;
    final String repository;
    final RegistryStorage.BlobWriter writer;
    MessageDigest sha256 = Digest.newMessageDigest("sha256");
    volatile long lastUsed = System.nanoTime();
    boolean closed;

    Upload(String id, String repository, RegistryStorage.BlobWriter writer) {
      this.id = id;
      this.repository = repository;
      this.writer = writer;
    }

    String location() {
      return "/v2/" + repository + "/blobs/uploads/" + id;
    }
  }

  /** POST …/blobs/uploads/: a mount, a monolithic upload, or a new upload session. */
  void start(Call call, String name) throws IOException {
    Map<String, String> q = call.query();
    String mount = q.get("mount");
    if (mount != null) {
      Optional<Digest> d = Digest.parse(mount);
      String from = q.get("from");
      boolean fromOk = from == null || RegistryHandler.isName(from);
      // Mounted only from a repository that has the blob; otherwise the spec's fallback, a new
      // upload (202), which clients then use for a normal push.
      if (d.isPresent()
          && fromOk
          && storage.blobSize(d.get()).isPresent()
          && (from == null || storage.hasLink(from, d.get()))) {
        storage.link(name, d.get());
        created(call, name, d.get());
        return;
      }
    }
    expireIdle();
    if (uploads.size() >= maxUploads) {
      throw new RegistryError(
          ErrorCode.TOOMANYREQUESTS,
          "too many uploads in progress (" + maxUploads + "); finish or cancel some",
          Map.of());
    }
    Upload u = new Upload(UUID.randomUUID().toString(), name, storage.newWriter());
    String digestText = q.get("digest");
    if (digestText != null && mount == null) {
      Digest expected = RegistryHandler.digest(digestText);
      // A monolithic upload in one POST. An empty body for a non-empty digest is the older
      // two-step form: answer with an upload to PUT to, as registries without single-POST do.
      long n;
      try {
        n = append(u, call.exchange.getRequestBody());
      } catch (IOException | RuntimeException e) {
        u.writer.close();
        throw e;
      }
      if (n > 0 || expected.equals(EMPTY)) {
        finish(call, u, expected);
        return;
      }
    }
    uploads.put(u.id, u);
    Headers h = call.exchange.getResponseHeaders();
    h.set("Location", u.location());
    h.set("Range", "0-0");
    h.set("Docker-Upload-UUID", u.id);
    call.empty(202);
  }

  private Upload upload(String name, String id) {
    Upload u = uploads.get(id);
    if (u == null || !u.repository.equals(name)) {
      throw new RegistryError(
          ErrorCode.BLOB_UPLOAD_UNKNOWN,
          "blob upload unknown: no upload " + id + " in " + name,
          Map.of("uuid", id));
    }
    u.lastUsed = System.nanoTime();
    return u;
  }

  /** GET …/blobs/uploads/<id>. */
  void status(Call call, String name, String id) {
    Upload u = upload(name, id);
    synchronized (u) {
      progress(call, u);
      call.empty(204);
    }
  }

  private static void progress(Call call, Upload u) {
    Headers h = call.exchange.getResponseHeaders();
    h.set("Location", u.location());
    long size = u.writer.size();
    h.set("Range", "0-" + Math.max(0, size - 1));
    h.set("Docker-Upload-UUID", u.id);
  }

  /** PATCH …/blobs/uploads/<id>: one more chunk. */
  void patch(Call call, String name, String id) throws IOException {
    Upload u = upload(name, id);
    synchronized (u) {
      checkOpen(u, id);
      appendChunk(call, u);
      progress(call, u);
      call.empty(202);
    }
  }

  /** PUT …/blobs/uploads/<id>?digest=: the last chunk, if any, and the digest check. */
  void put(Call call, String name, String id) throws IOException {
    Upload u = upload(name, id);
    String digestText = call.query().get("digest");
    if (digestText == null) {
      throw new RegistryError(
          ErrorCode.DIGEST_INVALID,
          "the digest query parameter is missing: PUT …/blobs/uploads/<id>?digest=<digest>",
          Map.of());
    }
    Digest expected = RegistryHandler.digest(digestText);
    synchronized (u) {
      checkOpen(u, id);
      appendChunk(call, u);
      uploads.remove(id);
      finish(call, u, expected);
    }
  }

  /** DELETE …/blobs/uploads/<id>. */
  void cancel(Call call, String name, String id) throws IOException {
    Upload u = upload(name, id);
    synchronized (u) {
      checkOpen(u, id);
      discard(u);
    }
    call.empty(204);
  }

  private static void checkOpen(Upload u, String id) {
    if (u.closed) {
      throw new RegistryError(
          ErrorCode.BLOB_UPLOAD_UNKNOWN,
          "blob upload unknown: " + id + " has ended",
          Map.of("uuid", id));
    }
  }

  /** Appends the request body, checking its Content-Range (if any) against the upload's end. */
  private static void appendChunk(Call call, Upload u) throws IOException {
    long start = u.writer.size();
    String contentRange = call.exchange.getRequestHeaders().getFirst("Content-Range");
    long declared = -1;
    if (contentRange != null) {
      Matcher m = CONTENT_RANGE.matcher(contentRange.strip());
      if (!m.matches()) {
        throw new RegistryError(
            ErrorCode.BLOB_UPLOAD_INVALID,
            "Content-Range '" + contentRange + "' is not <start>-<end>",
            Map.of());
      }
      long from = Long.parseLong(m.group(1));
      long to = Long.parseLong(m.group(2));
      if (from != start || to < from) {
        progress(call, u);
        throw new RegistryError(
            ErrorCode.RANGE_INVALID,
            "chunk "
                + contentRange
                + " does not continue the upload, which has "
                + start
                + " bytes",
            Map.of());
      }
      declared = to - from + 1;
    }
    MessageDigest before = cloneDigest(u.sha256);
    long n = append(u, call.exchange.getRequestBody());
    if (declared >= 0 && n != declared) {
      u.writer.truncate(start);
      u.sha256 = before;
      throw new RegistryError(
          ErrorCode.BLOB_UPLOAD_INVALID,
          "Content-Range " + contentRange + " announces " + declared + " bytes, the body had " + n,
          Map.of());
    }
  }

  /** Appends everything from {@code in}; on a read failure the upload is left as it was. */
  private static long append(Upload u, InputStream in) throws IOException {
    long start = u.writer.size();
    MessageDigest before = cloneDigest(u.sha256);
    byte[] buf = new byte[64 * 1024];
    long n = 0;
    try {
      int r;
      while ((r = in.read(buf)) >= 0) {
        u.writer.write(buf, 0, r);
        u.sha256.update(buf, 0, r);
        n += r;
      }
    } catch (IOException | RuntimeException e) {
      u.writer.truncate(start);
      u.sha256 = before;
      throw e;
    }
    return n;
  }

  private static MessageDigest cloneDigest(MessageDigest md) {
    try {
      return (MessageDigest) md.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("the JDK's SHA-256 cannot be cloned", e);
    }
  }

  /** Verifies the upload's digest and stores it, or discards it with DIGEST_INVALID. */
  private void finish(Call call, Upload u, Digest expected) throws IOException {
    u.closed = true;
    try {
      Digest actual;
      if (expected.algorithm().equals("sha256")) {
        actual = Digest.finish("sha256", u.sha256);
      } else {
        MessageDigest md = Digest.newMessageDigest(expected.algorithm());
        try (InputStream in = u.writer.read()) {
          byte[] buf = new byte[64 * 1024];
          int r;
          while ((r = in.read(buf)) >= 0) {
            md.update(buf, 0, r);
          }
        }
        actual = Digest.finish(expected.algorithm(), md);
      }
      if (!actual.equals(expected)) {
        throw new RegistryError(
            ErrorCode.DIGEST_INVALID,
            "the uploaded content ("
                + u.writer.size()
                + " bytes) has digest "
                + actual
                + ", not "
                + expected,
            Map.of("digest", expected.toString()));
      }
      u.writer.commit(expected);
      storage.link(u.repository, expected);
    } finally {
      u.writer.close();
    }
    created(call, u.repository, expected);
  }

  private static void created(Call call, String name, Digest digest) {
    Headers h = call.exchange.getResponseHeaders();
    h.set("Location", "/v2/" + name + "/blobs/" + digest);
    h.set("Docker-Content-Digest", digest.toString());
    call.empty(201);
  }

  private void discard(Upload u) {
    uploads.remove(u.id);
    u.closed = true;
    try {
      u.writer.close();
    } catch (IOException e) {
      // nothing to keep: the temporary file goes with the next start at the latest
    }
  }

  private void expireIdle() {
    long now = System.nanoTime();
    for (Upload u : List.copyOf(uploads.values())) {
      if (now - u.lastUsed > idleNanos) {
        synchronized (u) {
          discard(u);
        }
      }
    }
  }
}
