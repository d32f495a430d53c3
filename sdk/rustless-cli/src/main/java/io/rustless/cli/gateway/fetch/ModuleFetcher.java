package io.rustless.cli.gateway.fetch;

import io.rustless.cli.ToolException;
import io.rustless.cli.gateway.higress.PluginDeployment;
import io.rustless.cli.gateway.higress.PullPolicy;
import io.rustless.cli.gateway.resource.ResourceSnapshot;
import io.rustless.cli.oci.Blob;
import io.rustless.cli.oci.BoundedRead;
import io.rustless.cli.oci.Credentials;
import io.rustless.cli.oci.DockerConfig;
import io.rustless.cli.oci.ImageReference;
import io.rustless.cli.oci.ImageVerifier;
import io.rustless.cli.oci.RegistryAccess;
import io.rustless.cli.oci.RegistryException;
import io.rustless.cli.oci.VerifyReport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Fetches a WasmPlugin's module as Istio's agent does for Higress's gateway (higress-group/istio
 * {@code pkg/wasm/cache.go}, {@code imagefetcher.go}, {@code httpfetcher.go}, {@code convert.go}):
 *
 * <ul>
 *   <li>{@code oci://} (or no scheme): the image is read as the image fetcher reads it, by {@link
 *       ImageVerifier} (plugin in the last layer; Docker, compat and two-layer layouts). Its
 *       checksum is the manifest digest; an HTTPS attempt that meets a plain-HTTP registry is
 *       retried over HTTP ({@code imagefetcher.go PrepareFetch}), and {@code --plain-http} goes
 *       straight to HTTP.
 *   <li>{@code http(s)://}: GET, retried up to 5 times on 5xx (not 501, 505, 511), a gzip or tar
 *       wrapper removed; the checksum is the module's SHA-256.
 *   <li>{@code file://}: the file, read each time the plugin is loaded; {@code sha256} does not
 *       apply (Envoy reads local files directly, {@code extensions.go buildDataSource}).
 *   <li>The expected checksum is {@code sha256}, else the url's {@code @sha256:} digest; a module
 *       that hashes to anything else is refused: "module downloaded from … has checksum …, which
 *       does not match: …" ({@code cache.go} 276–279).
 *   <li>Caching ({@code cache.go getEntry}): a module with a known checksum is never fetched twice;
 *       without one, the last fetch of the url is reused unless the pull policy is Always and the
 *       WasmPlugin changed (see {@link PullPolicy}).
 *   <li>{@code imagePullSecret}: the Secret's registry credentials and nothing else (no fallback to
 *       the gateway's own); a secret that cannot be found or read fails the fetch, "missing image
 *       pulling secret" ({@code convert.go} 193–197). Without one, the gateway's credentials
 *       ({@code --username}, {@code --docker-config}, {@code DOCKER_CONFIG}, as {@code push}).
 * </ul>
 */
public final class ModuleFetcher {
  static final long MAX_BYTES = 256L << 20;
  private static final byte[] WASM_MAGIC = {0, 'a', 's', 'm'};

  private final RegistryAccess access;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Consumer<String> progress;
  private final Map<ModuleKey, byte[]> modules = new HashMap<>();
  private final Map<String, ChecksumEntry> checksums = new HashMap<>();

  private record ModuleKey(String name, String checksum) {}

  /** The last checksum pulled for a url, and the resource version each WasmPlugin last had. */
  private static final class ChecksumEntry {
    String checksum;
    final Map<String, String> resourceVersionByResource = new HashMap<>();
  }

  /**
   * A module ready to load.
   *
   * @param checksum what identifies it in the cache (manifest digest or module SHA-256, hex)
   * @param fromCache true if nothing was fetched
   * @param source how it was obtained, for the log
   */
  public record FetchedModule(byte[] wasm, String checksum, boolean fromCache, String source) {
    public FetchedModule {
      Objects.requireNonNull(wasm);
    }

    /** SHA-256 of the module, hex. */
    public String sha256() {
      return Blob.sha256Hex(wasm);
    }
  }

  private ModuleFetcher(Builder b) {
    this.access = b.access;
    this.requestTimeout = b.requestTimeout;
    this.maxAttempts = b.maxAttempts;
    this.initialBackoff = b.initialBackoff;
    this.progress = b.progress;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(b.requestTimeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The module of {@code d}; {@code resources} holds its pull secret. A {@link FetchException} says
   * why not, prefixed as Istio's agent says it: "cannot fetch Wasm module &lt;url&gt;: …".
   */
  public synchronized FetchedModule fetch(PluginDeployment d, ResourceSnapshot resources) {
    String url = d.url().strip();
    if (url.isEmpty()) {
      throw new FetchException("cannot fetch the Wasm module: spec.url is empty");
    }
    String scheme = scheme(url);
    if (scheme.equals("file")) {
      return readFile(url);
    }
    try {
      Optional<DockerConfig> pullSecret = Optional.empty();
      if (!d.imagePullSecret().isEmpty()) {
        try {
          pullSecret = Optional.of(PullSecrets.find(resources, d.namespace(), d.imagePullSecret()));
        } catch (FetchException e) {
          throw new FetchException("missing image pulling secret: " + e.getMessage(), e);
        }
      }
      return getOrFetch(d, url, scheme, pullSecret);
    } catch (FetchException e) {
      throw new FetchException("cannot fetch Wasm module " + url + ": " + e.getMessage(), e);
    }
  }

  private static String scheme(String url) {
    int i = url.indexOf("://");
    if (i < 0) {
      return "oci"; // no scheme means OCI (extensions.go 156-159)
    }
    String s = url.substring(0, i);
    return switch (s) {
      case "oci", "http", "https", "file" -> s;
      default ->
          throw new FetchException(
              "cannot fetch Wasm module "
                  + url
                  + ": unsupported Wasm module downloading URL scheme: "
                  + s);
    };
  }

  private FetchedModule readFile(String url) {
    Path path = Path.of(url.substring("file://".length()));
    try {
      long size = Files.size(path);
      if (size > MAX_BYTES) {
        throw new FetchException("Wasm module " + path + " is over 256 MiB");
      }
      byte[] wasm = Files.readAllBytes(path);
      if (!isWasm(wasm)) {
        throw new FetchException("Wasm module " + path + " is not a Wasm binary");
      }
      return new FetchedModule(wasm, Blob.sha256Hex(wasm), false, "file " + path);
    } catch (IOException e) {
      throw new FetchException("cannot read Wasm module " + path + ": " + e.getMessage(), e);
    }
  }

  private FetchedModule getOrFetch(
      PluginDeployment d, String url, String scheme, Optional<DockerConfig> pullSecret) {
    boolean oci = scheme.equals("oci");
    String fullUrl = oci && !url.startsWith("oci://") ? "oci://" + url : url;
    ImageReference image = oci ? image(fullUrl) : null;
    String name = oci ? "oci://" + image.name() : fullUrl;
    String checksum = d.sha256();
    if (checksum.isEmpty() && oci && image.digest() != null) {
      checksum = image.digest().substring("sha256:".length());
    }
    if (checksum.isEmpty()) {
      ChecksumEntry ce = checksums.get(fullUrl);
      if (ce != null) {
        String resource = d.key();
        if (ignoreResourceVersion(d.pullPolicy(), oci, fullUrl)
            || d.resourceVersion().equals(ce.resourceVersionByResource.get(resource))) {
          checksum = ce.checksum;
        }
        ce.resourceVersionByResource.put(resource, d.resourceVersion());
      }
    }
    byte[] cached = checksum.isEmpty() ? null : modules.get(new ModuleKey(name, checksum));
    if (cached != null) {
      return new FetchedModule(cached, checksum, true, "cached " + fullUrl);
    }
    byte[] wasm;
    String actual;
    String how;
    if (oci) {
      VerifyReport report = pullImage(image, pullSecret);
      wasm = report.wasm();
      actual = report.manifestDigest().substring("sha256:".length());
      how =
          "pulled "
              + image.name()
              + "@"
              + report.manifestDigest()
              + " ("
              + report.variant()
              + " layout)";
    } else {
      wasm = unbox(download(fullUrl));
      actual = Blob.sha256Hex(wasm);
      how = "downloaded " + fullUrl;
    }
    if (!checksum.isEmpty() && !checksum.equals(actual)) {
      throw new FetchException(
          "module downloaded from "
              + fullUrl
              + " has checksum "
              + actual
              + ", which does not match: "
              + checksum);
    }
    if (!isWasm(wasm)) {
      throw new FetchException("fetched Wasm binary from " + fullUrl + " is invalid");
    }
    modules.put(new ModuleKey(name, actual), wasm);
    ChecksumEntry ce = checksums.computeIfAbsent(fullUrl, u -> new ChecksumEntry());
    ce.checksum = actual;
    ce.resourceVersionByResource.put(d.key(), d.resourceVersion());
    return new FetchedModule(wasm, actual, false, how);
  }

  /**
   * {@code cache.go shouldIgnoreResourceVersion}: true if a changed WasmPlugin does not pull again.
   */
  public static boolean ignoreResourceVersion(PullPolicy policy, boolean oci, String url) {
    return switch (policy) {
      case Always -> false;
      case IfNotPresent -> true;
      case UNSPECIFIED_POLICY -> !oci || !url.endsWith(":latest");
    };
  }

  private static ImageReference image(String url) {
    try {
      return ImageReference.parse(url);
    } catch (ToolException e) {
      throw new FetchException("could not parse url in image reference: " + e.getMessage(), e);
    }
  }

  private VerifyReport pullImage(ImageReference image, Optional<DockerConfig> pullSecret) {
    RegistryAccess a = access;
    if (pullSecret.isPresent()) {
      Optional<Credentials> creds;
      try {
        creds = pullSecret.get().credentialsFor(image.registry());
      } catch (ToolException e) {
        throw new FetchException(e.getMessage(), e);
      }
      a = a.toBuilder().credentials(creds, pullSecret.get().source()).build();
    }
    try {
      return verifier(a).verify(image);
    } catch (RegistryException e) {
      if (!a.plainHttp() && sslFailure(e)) {
        // imagefetcher.go: a registry that answers HTTPS with plain HTTP is asked again over HTTP.
        progress.accept(image.registry() + " does not speak HTTPS; fetching over plain HTTP");
        try {
          return verifier(a.toBuilder().plainHttp(true).build()).verify(image);
        } catch (ToolException again) {
          throw new FetchException(again.getMessage(), again);
        }
      }
      throw new FetchException(e.getMessage(), e);
    } catch (ToolException e) {
      throw new FetchException(e.getMessage(), e);
    }
  }

  private ImageVerifier verifier(RegistryAccess a) {
    return new ImageVerifier(a, line -> progress.accept("  " + line));
  }

  private static boolean sslFailure(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        return true;
      }
    }
    return false;
  }

  private byte[] download(String url) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new FetchException("bad url: " + e.getMessage(), e);
    }
    String last = "";
    long backoff = initialBackoff.toMillis();
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      HttpResponse<InputStream> response;
      try {
        response =
            http.send(
                HttpRequest.newBuilder(uri).timeout(requestTimeout).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        sleep(backoff);
        backoff *= 2;
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FetchException("interrupted", e);
      }
      int status = response.statusCode();
      try (InputStream in = response.body()) {
        if (status == 200) {
          return BoundedRead.readAtMost(in, MAX_BYTES);
        }
        in.readAllBytes();
      } catch (IOException e) {
        last = "reading the body: " + e.getMessage();
        continue;
      }
      last = "status code " + status;
      if (!retryable(status)) {
        return fail(attempt, last);
      }
      sleep(backoff);
      backoff *= 2;
    }
    return fail(maxAttempts, last);
  }

  private static byte[] fail(int attempts, String last) {
    throw new FetchException(
        "wasm module download failed after "
            + attempts
            + (attempts == 1 ? " attempt" : " attempts")
            + ", last error: "
            + last);
  }

  /** {@code httpfetcher.go retryable}. */
  static boolean retryable(int code) {
    return code >= 500 && code != 501 && code != 505 && code != 511;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FetchException("interrupted", e);
    }
  }

  /** {@code httpfetcher.go unboxIfPossible}: gzip and tar wrappers around a module come off. */
  static byte[] unbox(byte[] origin) {
    byte[] b = origin;
    for (int depth = 0; depth < 8; depth++) {
      if (isWasm(b)) {
        return b;
      }
      byte[] inner = null;
      if (b.length > 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(b))) {
          inner = BoundedRead.readAtMost(in, MAX_BYTES);
        } catch (IOException e) {
          inner = null;
        }
      } else if (b.length > 262
          && new String(b, 257, 5, StandardCharsets.US_ASCII).equals("ustar")) {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(b))) {
          TarArchiveEntry e = tar.getNextEntry();
          inner = e == null ? null : BoundedRead.readAtMost(tar, MAX_BYTES);
        } catch (IOException e) {
          inner = null;
        }
      }
      if (inner == null) {
        return origin;
      }
      b = inner;
    }
    return origin;
  }

  static boolean isWasm(byte[] b) {
    if (b.length < 8) {
      return false;
    }
    for (int i = 0; i < 4; i++) {
      if (b[i] != WASM_MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  /** Configures a {@link ModuleFetcher}. */
  public static final class Builder {
    private RegistryAccess access = RegistryAccess.builder().build();
    private Duration requestTimeout = Duration.ofSeconds(15);
    private int maxAttempts = 5;
    private Duration initialBackoff = Duration.ofMillis(500);
    private Consumer<String> progress = line -> {};

    private Builder() {}

    /** The gateway's own registry access: scheme and credentials for images without a secret. */
    public Builder registryAccess(RegistryAccess a) {
      this.access = Objects.requireNonNull(a);
      return this;
    }

    /** Per HTTP request (Istio's default is 15 s). */
    public Builder requestTimeout(Duration d) {
      this.requestTimeout = Objects.requireNonNull(d);
      return this;
    }

    /** Attempts at an http(s) url that answers 5xx (Istio's default is 5), and the first pause. */
    public Builder retries(int attempts, Duration firstBackoff) {
      if (attempts < 1) {
        throw new IllegalArgumentException("attempts must be at least 1");
      }
      this.maxAttempts = attempts;
      this.initialBackoff = Objects.requireNonNull(firstBackoff);
      return this;
    }

    /** Where pull progress goes (one line per step). */
    public Builder progress(Consumer<String> sink) {
      this.progress = Objects.requireNonNull(sink);
      return this;
    }

    public ModuleFetcher build() {
      return new ModuleFetcher(this);
    }
  }
}
