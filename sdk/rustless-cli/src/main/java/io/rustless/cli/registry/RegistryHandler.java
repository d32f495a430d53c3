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
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OCI distribution API (v1.1) on {@code com.sun.net.httpserver}: routing, HTTP basic
 * authentication, pull (manifests by tag or digest with Accept negotiation, blobs with ranges),
 * manifest pushes with their referenced-blob checks, tags and catalog listings, referrers and
 * deletes; blob uploads are {@link Uploads}'. Every refusal carries the spec's error body.
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
  private static final Pattern RANGE = Pattern.compile("^bytes=(\\d*)-(\\d*)$");

  private static final String OCTETS = "application/octet-stream";
  private static final int MAX_NAME = 255;

  private final RegistryStorage storage;
  private final Optional<Credentials> credentials;
  private final String realm;
  private final Consumer<String> accessLog;
  private final Uploads uploads;

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
    this.uploads = new Uploads(storage, maxUploads, uploadIdleTimeout);
  }

  /** Uploads in progress (for tests and the access log). */
  int openUploads() {
    return uploads.open();
  }

  void closeUploads() {
    uploads.closeAll();
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
        case "PATCH" -> uploads.patch(call, name, m.group(2));
        case "PUT" -> uploads.put(call, name, m.group(2));
        case "GET", "HEAD" -> uploads.status(call, name, m.group(2));
        case "DELETE" -> uploads.cancel(call, name, m.group(2));
        default -> allow(call, "GET", "HEAD", "PATCH", "PUT", "DELETE");
      }
    } else if ((m = UPLOADS.matcher(rest)).matches()) {
      String name = name(m.group(1));
      allow(call, "POST");
      uploads.start(call, name);
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

  /** Whether {@code name} is a repository name by the spec's grammar. */
  static boolean isName(String name) {
    return name.length() <= MAX_NAME && NAME.matcher(name).matches();
  }

  private static String name(String name) {
    if (name.length() > MAX_NAME || !NAME.matcher(name).matches()) {
      throw new RegistryError(
          ErrorCode.NAME_INVALID, "invalid repository name '" + name + "'", Map.of("name", name));
    }
    return name;
  }

  static Digest digest(String text) {
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
    String filter = call.query().get("artifactType");
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
    Map<String, String> q = call.query();
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

  private static byte[] readLimited(InputStream in, int max) throws IOException {
    byte[] body = in.readNBytes(max + 1);
    if (body.length > max) {
      throw new RegistryError(
          ErrorCode.SIZE_INVALID, 413, "a manifest may have at most " + max + " bytes", Map.of());
    }
    return body;
  }
}
