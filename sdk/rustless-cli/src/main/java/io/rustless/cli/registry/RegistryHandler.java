package io.rustless.cli.registry;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.rustless.sdk.higress.json.JsonArray;
import io.rustless.sdk.higress.json.JsonObject;
import io.rustless.sdk.higress.json.JsonString;
import io.rustless.sdk.higress.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OCI distribution API (v1.1) on {@code com.sun.net.httpserver}: pull (manifests by tag or
 * digest with Accept negotiation, blobs with ranges), push (monolithic POST, POST+PUT,
 * POST+PATCH…+PUT, cross-repository mount), tags and catalog listings, referrers, deletes, and HTTP
 * basic authentication. Every refusal carries the spec's error body.
 */
final class RegistryHandler implements HttpHandler {
  /** The spec's repository name grammar. */
  private static final Pattern NAME =
      Pattern.compile(
          "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");

  private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");
  private static final Pattern UPLOAD = Pattern.compile("^(.+)/blobs/uploads/([^/]+)$");
  private static final Pattern UPLOADS = Pattern.compile("^(.+)/blobs/uploads/?$");
  private static final Pattern BLOB = Pattern.compile("^(.+)/blobs/([^/]+)$");
  private static final Pattern MANIFEST = Pattern.compile("^(.+)/manifests/([^/]+)$");
  private static final Pattern TAGS = Pattern.compile("^(.+)/tags/list$");
  private static final Pattern REFERRERS = Pattern.compile("^(.+)/referrers/([^/]+)$");
  private static final Pattern CONTENT_RANGE = Pattern.compile("^(?:bytes[ =])?(\\d+)-(\\d+)$");
  private static final Pattern RANGE = Pattern.compile("^bytes=(\\d*)-(\\d*)$");

  private static final String JSON = "application/json; charset=utf-8";
  private static final String OCTETS = "application/octet-stream";
  private static final int MAX_NAME = 255;
  private static final Digest EMPTY = Digest.sha256(new byte[0]);

  private final RegistryStorage storage;
  private final Optional<Credentials> credentials;
  private final String realm;
  private final Consumer<String> accessLog;
  private final int maxUploads;
  private final long uploadIdleNanos;
  private final Map<String, Upload> uploads = new ConcurrentHashMap<>();

  /** The one user the registry accepts. */
  record Credentials(String username, byte[] password) {}

  RegistryHandler(
      RegistryStorage storage,
      Optional<Credentials> credentials,
      String realm,
      Consumer<String> accessLog,
      int maxUploads,
      Duration uploadIdleTimeout) {
    this.storage = storage;
    this.credentials = credentials;
    this.realm = realm;
    this.accessLog = accessLog;
    this.maxUploads = maxUploads;
    this.uploadIdleNanos = uploadIdleTimeout.toNanos();
  }

  /** Uploads in progress (for tests and the access log). */
  int openUploads() {
    return uploads.size();
  }

  void closeUploads() {
    for (Upload u : List.copyOf(uploads.values())) {
      discard(u);
    }
  }

  @Override
  public void handle(HttpExchange exchange) {
    long start = System.nanoTime();
    Call call = new Call(exchange);
    try {
      exchange.getResponseHeaders().set("Docker-Distribution-API-Version", "registry/2.0");
      if (!authorized(exchange)) {
        exchange
            .getResponseHeaders()
            .set("WWW-Authenticate", "Basic realm=\"" + realm.replace("\"", "") + "\"");
        throw new RegistryError(ErrorCode.UNAUTHORIZED, "authentication required");
      }
      route(call);
    } catch (RegistryError e) {
      call.error(e);
    } catch (IOException | UncheckedIOException e) {
      call.error(
          new RegistryError(ErrorCode.UNKNOWN, "storage failed: " + e.getMessage(), Map.of()));
    } catch (RuntimeException e) {
      call.error(new RegistryError(ErrorCode.UNKNOWN, "internal error: " + e, Map.of()));
    } finally {
      exchange.close();
      accessLog.accept(
          String.format(
              "%s %s -> %d (%d ms)",
              exchange.getRequestMethod(),
              exchange.getRequestURI(),
              call.status,
              (System.nanoTime() - start) / 1_000_000));
    }
  }

  private boolean authorized(HttpExchange exchange) {
    if (credentials.isEmpty()) {
      return true;
    }
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return false;
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return false;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return false;
    }
    Credentials c = credentials.get();
    // Both compared in full, in constant time, so the answer's timing says nothing about either.
    boolean user =
        MessageDigest.isEqual(
            decoded.substring(0, colon).getBytes(StandardCharsets.UTF_8),
            c.username().getBytes(StandardCharsets.UTF_8));
    boolean password =
        MessageDigest.isEqual(
            decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8), c.password());
    return user & password;
  }

  private void route(Call call) throws IOException {
    String path = call.exchange.getRequestURI().getPath();
    String method = call.method;
    if (path.equals("/v2") || path.equals("/v2/")) {
      allow(call, "GET", "HEAD");
      call.json(200, "{}");
      return;
    }
    if (!path.startsWith("/v2/")) {
      throw new RegistryError(
          ErrorCode.UNSUPPORTED, 404, "not an OCI distribution endpoint", Map.of());
    }
    String rest = path.substring(4);
    if (rest.equals("_catalog")) {
      allow(call, "GET");
      catalog(call);
      return;
    }
    Matcher m;
    if ((m = UPLOAD.matcher(rest)).matches()) {
      String name = name(m.group(1));
      switch (method) {
        case "PATCH" -> patchUpload(call, name, m.group(2));
        case "PUT" -> putUpload(call, name, m.group(2));
        case "GET", "HEAD" -> uploadStatus(call, name, m.group(2));
        case "DELETE" -> cancelUpload(call, name, m.group(2));
        default -> allow(call, "GET", "HEAD", "PATCH", "PUT", "DELETE");
      }
    } else if ((m = UPLOADS.matcher(rest)).matches()) {
      String name = name(m.group(1));
      allow(call, "POST");
      startUpload(call, name);
    } else if ((m = BLOB.matcher(rest)).matches()) {
      String name = name(m.group(1));
      switch (method) {
        case "GET", "HEAD" -> getBlob(call, name, m.group(2));
        case "DELETE" -> deleteBlob(call, name, m.group(2));
        default -> allow(call, "GET", "HEAD", "DELETE");
      }
    } else if ((m = MANIFEST.matcher(rest)).matches()) {
      String name = name(m.group(1));
      switch (method) {
        case "GET", "HEAD" -> getManifest(call, name, m.group(2));
        case "PUT" -> putManifest(call, name, m.group(2));
        case "DELETE" -> deleteManifest(call, name, m.group(2));
        default -> allow(call, "GET", "HEAD", "PUT", "DELETE");
      }
    } else if ((m = TAGS.matcher(rest)).matches()) {
      String name = name(m.group(1));
      allow(call, "GET");
      tags(call, name);
    } else if ((m = REFERRERS.matcher(rest)).matches()) {
      String name = name(m.group(1));
      allow(call, "GET");
      referrers(call, name, m.group(2));
    } else {
      throw new RegistryError(
          ErrorCode.UNSUPPORTED, 404, "not an OCI distribution endpoint", Map.of());
    }
  }

  /** Refuses the request with 405 unless its method is one of {@code methods}. */
  private static void allow(Call call, String... methods) {
    for (String m : methods) {
      if (m.equals(call.method)) {
        return;
      }
    }
    call.exchange.getResponseHeaders().set("Allow", String.join(", ", methods));
    throw new RegistryError(
        ErrorCode.UNSUPPORTED, call.method + " is not supported here", Map.of());
  }

  private static String name(String name) {
    if (name.length() > MAX_NAME || !NAME.matcher(name).matches()) {
      throw new RegistryError(
          ErrorCode.NAME_INVALID, "invalid repository name '" + name + "'", Map.of("name", name));
    }
    return name;
  }

  private static Digest digest(String text) {
    return Digest.parse(text)
        .orElseThrow(
            () ->
                new RegistryError(
                    ErrorCode.DIGEST_INVALID,
                    "'" + text + "' is not a sha256 or sha512 digest",
                    Map.of("digest", text)));
  }

  // ---------------------------------------------------------------- manifests

  private Digest resolve(String name, String reference) throws IOException {
    if (reference.contains(":")) {
      return digest(reference);
    }
    if (!TAG.matcher(reference).matches()) {
      throw new RegistryError(
          ErrorCode.MANIFEST_UNKNOWN,
          "'" + reference + "' is not a valid tag",
          Map.of("tag", reference));
    }
    return storage
        .resolveTag(name, reference)
        .orElseThrow(
            () ->
                new RegistryError(
                    ErrorCode.MANIFEST_UNKNOWN,
                    "manifest unknown: no tag " + reference + " in " + name,
                    Map.of("tag", reference)));
  }

  private void getManifest(Call call, String name, String reference) throws IOException {
    Digest digest = resolve(name, reference);
    String type =
        storage
            .manifestType(name, digest)
            .orElseThrow(
                () ->
                    new RegistryError(
                        ErrorCode.MANIFEST_UNKNOWN,
                        "manifest unknown: " + digest + " is not in " + name,
                        Map.of("digest", digest.toString())));
    List<String> accepted = accepted(call.exchange.getRequestHeaders());
    if (!acceptable(accepted, type)) {
      throw new RegistryError(
          ErrorCode.MANIFEST_UNKNOWN,
          "the manifest is " + type + ", which the request's Accept header does not list",
          Map.of("mediaType", type));
    }
    byte[] content;
    try (InputStream in = storage.openBlob(digest)) {
      content = in.readAllBytes();
    }
    Headers h = call.exchange.getResponseHeaders();
    h.set("Docker-Content-Digest", digest.toString());
    h.set("ETag", "\"" + digest + "\"");
    call.send(200, type, content);
  }

  private static List<String> accepted(Headers headers) {
    List<String> out = new ArrayList<>();
    for (String header : headers.getOrDefault("Accept", List.of())) {
      for (String part : header.split(",")) {
        String t = ManifestContent.baseType(part);
        if (t != null) {
          out.add(t);
        }
      }
    }
    return out;
  }

  private static boolean acceptable(List<String> accepted, String type) {
    if (accepted.isEmpty()) {
      return true;
    }
    String major = type.substring(0, type.indexOf('/') + 1);
    for (String a : accepted) {
      if (a.equals(type) || a.equals("*/*") || a.equals(major + "*")) {
        return true;
      }
    }
    return false;
  }

  private void putManifest(Call call, String name, String reference) throws IOException {
    Optional<Digest> byDigest = Optional.empty();
    String tag = null;
    if (reference.contains(":")) {
      byDigest = Optional.of(digest(reference));
    } else if (TAG.matcher(reference).matches()) {
      tag = reference;
    } else {
      throw new RegistryError(
          ErrorCode.MANIFEST_INVALID,
          "'" + reference + "' is not a valid tag",
          Map.of("tag", reference));
    }
    byte[] body = readLimited(call.exchange.getRequestBody(), ManifestContent.MAX_SIZE);
    ManifestContent manifest =
        ManifestContent.parse(body, call.exchange.getRequestHeaders().getFirst("Content-Type"));
    Digest digest = Digest.of(byDigest.map(Digest::algorithm).orElse("sha256"), body);
    if (byDigest.isPresent() && !byDigest.get().equals(digest)) {
      throw new RegistryError(
          ErrorCode.DIGEST_INVALID,
          "the manifest's content has digest " + digest + ", not " + byDigest.get(),
          Map.of("digest", byDigest.get().toString()));
    }
    for (ManifestContent.Descriptor blob : manifest.blobs()) {
      OptionalLong size = storage.blobSize(blob.digest());
      if (!storage.hasLink(name, blob.digest()) || size.isEmpty()) {
        throw new RegistryError(
            ErrorCode.MANIFEST_BLOB_UNKNOWN,
            "blob " + blob.digest() + " (" + blob.mediaType() + ") is not in " + name,
            Map.of("digest", blob.digest().toString()));
      }
      if (size.getAsLong() != blob.size()) {
        throw new RegistryError(
            ErrorCode.MANIFEST_INVALID,
            "blob "
                + blob.digest()
                + " has "
                + size.getAsLong()
                + " bytes, the manifest says "
                + blob.size(),
            Map.of("digest", blob.digest().toString()));
      }
    }
    for (ManifestContent.Descriptor child : manifest.manifests()) {
      if (storage.manifestType(name, child.digest()).isEmpty()) {
        throw new RegistryError(
            ErrorCode.MANIFEST_BLOB_UNKNOWN,
            "manifest " + child.digest() + " is not in " + name,
            Map.of("digest", child.digest().toString()));
      }
    }
    // Content first, then the manifest record, then the tag: a crash in between leaves no tag
    // pointing at something missing.
    storage.putBlob(digest, body);
    storage.putManifest(name, digest, manifest.mediaType());
    if (tag != null) {
      storage.tag(name, tag, digest);
    }
    Headers h = call.exchange.getResponseHeaders();
    h.set("Location", "/v2/" + name + "/manifests/" + digest);
    h.set("Docker-Content-Digest", digest.toString());
    manifest.subject().ifPresent(s -> h.set("OCI-Subject", s.digest().toString()));
    call.empty(201);
  }

  private void deleteManifest(Call call, String name, String reference) throws IOException {
    boolean deleted;
    if (reference.contains(":")) {
      deleted = storage.deleteManifest(name, digest(reference));
    } else {
      deleted = TAG.matcher(reference).matches() && storage.untag(name, reference);
    }
    if (!deleted) {
      throw new RegistryError(
          ErrorCode.MANIFEST_UNKNOWN,
          "manifest unknown: " + reference + " is not in " + name,
          Map.of("reference", reference));
    }
    call.empty(202);
  }

  private void referrers(Call call, String name, String subjectText) throws IOException {
    Digest subject = digest(subjectText);
    String filter = query(call).get("artifactType");
    List<JsonValue> found = new ArrayList<>();
    for (Digest d : storage.manifests(name)) {
      Optional<String> type = storage.manifestType(name, d);
      if (type.isEmpty()) {
        continue;
      }
      byte[] content;
      try (InputStream in = storage.openBlob(d)) {
        content = in.readAllBytes();
      }
      ManifestContent m = ManifestContent.parse(content, type.get());
      if (m.subject().isEmpty() || !m.subject().get().digest().equals(subject)) {
        continue;
      }
      if (filter != null && !filter.equals(m.artifactType().orElse(null))) {
        continue;
      }
      JsonObject.Builder b =
          JsonObject.builder()
              .put("mediaType", m.mediaType())
              .put("digest", d.toString())
              .put("size", content.length);
      m.artifactType().ifPresent(t -> b.put("artifactType", t));
      if (!m.annotations().isEmpty()) {
        Map<String, JsonValue> a = new LinkedHashMap<>();
        m.annotations().forEach((k, v) -> a.put(k, new JsonString(v)));
        b.put("annotations", JsonObject.of(a));
      }
      found.add(b.build());
    }
    if (filter != null) {
      call.exchange.getResponseHeaders().set("OCI-Filters-Applied", "artifactType");
    }
    String body =
        JsonObject.builder()
            .put("schemaVersion", 2)
            .put("mediaType", ManifestContent.OCI_INDEX)
            .put("manifests", JsonArray.of(found))
            .build()
            .toString();
    call.send(200, ManifestContent.OCI_INDEX, body.getBytes(StandardCharsets.UTF_8));
  }

  // ---------------------------------------------------------------- blobs

  private void getBlob(Call call, String name, String digestText) throws IOException {
    Digest digest = digest(digestText);
    OptionalLong stored = storage.blobSize(digest);
    if (!storage.hasLink(name, digest) || stored.isEmpty()) {
      throw new RegistryError(
          ErrorCode.BLOB_UNKNOWN,
          "blob unknown: " + digest + " is not in " + name,
          Map.of("digest", digest.toString()));
    }
    long size = stored.getAsLong();
    Headers h = call.exchange.getResponseHeaders();
    h.set("Docker-Content-Digest", digest.toString());
    h.set("ETag", "\"" + digest + "\"");
    h.set("Accept-Ranges", "bytes");
    long from = 0;
    long to = size - 1;
    int status = 200;
    String range = call.exchange.getRequestHeaders().getFirst("Range");
    if (range != null && call.method.equals("GET")) {
      Matcher m = RANGE.matcher(range.strip());
      if (m.matches() && !(m.group(1).isEmpty() && m.group(2).isEmpty())) {
        try {
          if (m.group(1).isEmpty()) {
            from = Math.max(0, size - Long.parseLong(m.group(2)));
          } else {
            from = Long.parseLong(m.group(1));
            to = m.group(2).isEmpty() ? size - 1 : Math.min(size - 1, Long.parseLong(m.group(2)));
          }
        } catch (NumberFormatException e) {
          from = size;
        }
        if (from >= size || from > to) {
          h.set("Content-Range", "bytes */" + size);
          throw new RegistryError(
              ErrorCode.BLOB_UNKNOWN, 416, "range " + range + " is outside the blob", Map.of());
        }
        h.set("Content-Range", "bytes " + from + "-" + to + "/" + size);
        status = 206;
      }
    }
    try (InputStream in = storage.openBlob(digest)) {
      in.skipNBytes(from);
      call.stream(status, OCTETS, to - from + 1, in);
    }
  }

  private void deleteBlob(Call call, String name, String digestText) throws IOException {
    Digest digest = digest(digestText);
    if (!storage.unlink(name, digest)) {
      throw new RegistryError(
          ErrorCode.BLOB_UNKNOWN,
          "blob unknown: " + digest + " is not in " + name,
          Map.of("digest", digest.toString()));
    }
    call.empty(202);
  }

  // ---------------------------------------------------------------- uploads

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

  private void startUpload(Call call, String name) throws IOException {
    Map<String, String> q = query(call);
    String mount = q.get("mount");
    if (mount != null) {
      Optional<Digest> d = Digest.parse(mount);
      String from = q.get("from");
      boolean fromOk = from == null || (from.length() <= MAX_NAME && NAME.matcher(from).matches());
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
    expireIdleUploads();
    if (uploads.size() >= maxUploads) {
      throw new RegistryError(
          ErrorCode.TOOMANYREQUESTS,
          "too many uploads in progress (" + maxUploads + "); finish or cancel some",
          Map.of());
    }
    Upload u = new Upload(UUID.randomUUID().toString(), name, storage.newWriter());
    String digestText = q.get("digest");
    if (digestText != null && mount == null) {
      Digest expected = digest(digestText);
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

  private void uploadStatus(Call call, String name, String id) {
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

  private void patchUpload(Call call, String name, String id) throws IOException {
    Upload u = upload(name, id);
    synchronized (u) {
      checkOpen(u, id);
      appendChunk(call, u);
      progress(call, u);
      call.empty(202);
    }
  }

  private void putUpload(Call call, String name, String id) throws IOException {
    Upload u = upload(name, id);
    String digestText = query(call).get("digest");
    if (digestText == null) {
      throw new RegistryError(
          ErrorCode.DIGEST_INVALID,
          "the digest query parameter is missing: PUT …/blobs/uploads/<id>?digest=<digest>",
          Map.of());
    }
    Digest expected = digest(digestText);
    synchronized (u) {
      checkOpen(u, id);
      appendChunk(call, u);
      uploads.remove(id);
      finish(call, u, expected);
    }
  }

  private void cancelUpload(Call call, String name, String id) throws IOException {
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

  private void expireIdleUploads() {
    long now = System.nanoTime();
    for (Upload u : List.copyOf(uploads.values())) {
      if (now - u.lastUsed > uploadIdleNanos) {
        synchronized (u) {
          discard(u);
        }
      }
    }
  }

  // ---------------------------------------------------------------- listings

  private void tags(Call call, String name) throws IOException {
    if (!storage.repositoryExists(name)) {
      throw new RegistryError(
          ErrorCode.NAME_UNKNOWN, "repository " + name + " is not known", Map.of("name", name));
    }
    SortedMap<String, Digest> tags = storage.tags(name);
    page(call, "/v2/" + name + "/tags/list", "tags", List.copyOf(tags.keySet()), name);
  }

  private void catalog(Call call) throws IOException {
    page(call, "/v2/_catalog", "repositories", List.copyOf(storage.repositories()), null);
  }

  private static void page(Call call, String path, String field, List<String> all, String name) {
    Map<String, String> q = query(call);
    String last = q.get("last");
    List<String> items = new ArrayList<>();
    for (String s : all) {
      if (last == null || s.compareTo(last) > 0) {
        items.add(s);
      }
    }
    String nText = q.get("n");
    if (nText != null) {
      int n;
      try {
        n = Integer.parseInt(nText);
      } catch (NumberFormatException e) {
        n = -1;
      }
      if (n < 0) {
        throw new RegistryError(
            ErrorCode.PAGINATION_NUMBER_INVALID,
            "n=" + nText + " is not a non-negative number",
            Map.of("n", nText));
      }
      if (items.size() > n) {
        items = items.subList(0, n);
        if (n > 0) {
          call.exchange
              .getResponseHeaders()
              .set(
                  "Link",
                  "<"
                      + path
                      + "?n="
                      + n
                      + "&last="
                      + URLEncoder.encode(items.get(n - 1), StandardCharsets.UTF_8)
                      + ">; rel=\"next\"");
        }
      }
    }
    JsonObject.Builder b = JsonObject.builder();
    if (name != null) {
      b.put("name", name);
    }
    List<JsonValue> values = new ArrayList<>();
    items.forEach(s -> values.add(new JsonString(s)));
    b.put(field, JsonArray.of(values));
    call.json(200, b.build().toString());
  }

  private static Map<String, String> query(Call call) {
    String raw = call.exchange.getRequestURI().getRawQuery();
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.putIfAbsent(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  private static byte[] readLimited(InputStream in, int max) throws IOException {
    byte[] body = in.readNBytes(max + 1);
    if (body.length > max) {
      throw new RegistryError(
          ErrorCode.SIZE_INVALID, 413, "a manifest may have at most " + max + " bytes", Map.of());
    }
    return body;
  }

  // ---------------------------------------------------------------- responses

  /** One request and how it was answered (for the access log). */
  private static final class Call {
    final HttpExchange exchange;
    final String method;
    int status;

    Call(HttpExchange exchange) {
      this.exchange = exchange;
      this.method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    }

    boolean head() {
      return method.equals("HEAD");
    }

    void json(int code, String body) {
      send(code, JSON, body.getBytes(StandardCharsets.UTF_8));
    }

    void send(int code, String contentType, byte[] body) {
      try {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        status = code;
        if (head()) {
          exchange.getResponseHeaders().set("Content-Length", Long.toString(body.length));
          exchange.sendResponseHeaders(code, -1);
        } else {
          exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void stream(int code, String contentType, long length, InputStream in) throws IOException {
      exchange.getResponseHeaders().set("Content-Type", contentType);
      status = code;
      if (head()) {
        exchange.getResponseHeaders().set("Content-Length", Long.toString(length));
        exchange.sendResponseHeaders(code, -1);
        return;
      }
      exchange.sendResponseHeaders(code, length == 0 ? -1 : length);
      try (OutputStream out = exchange.getResponseBody()) {
        byte[] buf = new byte[64 * 1024];
        long left = length;
        while (left > 0) {
          int r = in.read(buf, 0, (int) Math.min(buf.length, left));
          if (r < 0) {
            throw new IOException("blob ended " + left + " bytes early");
          }
          out.write(buf, 0, r);
          left -= r;
        }
      }
    }

    void empty(int code) {
      try {
        status = code;
        exchange.sendResponseHeaders(code, -1);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void error(RegistryError e) {
      if (status != 0) {
        return; // the status line is out: all that is left is to close the connection
      }
      JsonObject.Builder err =
          JsonObject.builder().put("code", e.code().name()).put("message", e.getMessage());
      if (!e.detail().isEmpty()) {
        Map<String, JsonValue> d = new LinkedHashMap<>();
        e.detail().forEach((k, v) -> d.put(k, new JsonString(v)));
        err.put("detail", JsonObject.of(d));
      }
      String body =
          JsonObject.builder().put("errors", JsonArray.of(List.of(err.build()))).build().toString();
      try {
        send(e.status(), JSON, body.getBytes(StandardCharsets.UTF_8));
      } catch (UncheckedIOException ignored) {
        // the client went away
      }
    }
  }
}
