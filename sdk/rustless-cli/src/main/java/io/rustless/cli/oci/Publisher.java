package io.rustless.cli.oci;

import java.util.Objects;
import java.util.function.Consumer;
import land.oras.ContainerRef;
import land.oras.Manifest;
import land.oras.Registry;

/**
 * Pushes an {@link ImageLayout}: every blob first, the manifest last. Until the manifest is in, the
 * tag does not move, so a push that fails half-way leaves at most unreferenced blobs (which the
 * registry's garbage collection removes), never a tag pointing at a partial image.
 */
public final class Publisher {
  private final RegistryAccess access;
  private final Consumer<String> progress;

  public Publisher(RegistryAccess access, Consumer<String> progress) {
    this.access = Objects.requireNonNull(access);
    this.progress = Objects.requireNonNull(progress);
  }

  /**
   * Fails now if the registry cannot be reached or refuses these credentials, so that a Job does
   * not build for minutes to learn it (a HEAD of the tag: 404 is fine, it is about to be pushed).
   */
  public void checkAccess(ImageReference image) {
    RegistryAccess.Session session = access.open(image);
    ContainerRef ref = ContainerRef.parse(image.toString());
    try {
      session.registry().probeDescriptor(ref);
    } catch (RuntimeException e) {
      RegistryException r =
          RegistryErrors.translate(e, image, access, session.auth(), "checking access");
      if (r.reason() != RegistryException.Reason.NOT_FOUND) {
        throw r;
      }
    }
    progress.accept("registry " + image.registry() + " reachable (" + session.auth() + ")");
  }

  /** Pushes {@code layout} to {@code image} (which needs a tag) and returns its digest. */
  public PublishResult push(ImageLayout layout, ImageReference image) {
    if (image.tag() == null || image.digest() != null) {
      throw new io.rustless.cli.UsageException(
          "push needs an image with a tag and no digest, e.g. " + image.name() + ":0.1.0");
    }
    long start = System.nanoTime();
    RegistryAccess.Session session = access.open(image);
    Registry registry = session.registry();
    ContainerRef ref = ContainerRef.parse(image.toString());
    progress.accept("registry " + image.registry() + " (" + session.auth() + ")");
    int uploaded = 0;
    int n = 0;
    for (Blob blob : layout.blobs()) {
      n++;
      String label = blob.title() == null ? "config" : blob.title();
      boolean present =
          call(image, session, "checking blob " + label, () -> exists(registry, ref, blob));
      if (!present) {
        call(image, session, "uploading " + label, () -> registry.pushBlob(ref, blob.content()));
        uploaded++;
      }
      progress.accept(
          String.format(
              "blob %d/%d %-13s %-44s %,9d B  %s%s",
              n,
              layout.blobs().size(),
              label,
              blob.mediaType(),
              blob.size(),
              blob.digest().substring(0, 19) + "…",
              present ? "  (already there)" : ""));
    }
    Manifest pushed =
        call(
            image,
            session,
            "pushing the manifest",
            () -> registry.pushManifest(ref, Manifest.fromJson(layout.manifestJson())));
    String digest = pushed.getDescriptor() == null ? null : pushed.getDescriptor().getDigest();
    if (digest != null && !digest.equals(layout.manifestDigest())) {
      throw new RegistryException(
          RegistryException.Reason.PROTOCOL,
          "registry "
              + image.registry()
              + " stored the manifest as "
              + digest
              + " but its content hashes to "
              + layout.manifestDigest()
              + " (was the tag pushed concurrently?)",
          null);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    progress.accept(
        String.format(
            "manifest %s (%d B), %d of %d blobs uploaded, in %.1f s",
            layout.manifestDigest(),
            layout.manifest().length,
            uploaded,
            layout.blobs().size(),
            millis / 1000.0));
    return new PublishResult(
        image, layout.manifestDigest(), layout.wasmSize(), layout.wasmSha256(), uploaded, millis);
  }

  private static boolean exists(Registry registry, ContainerRef ref, Blob blob) {
    try {
      registry.fetchBlobDescriptor(ref.withDigest(blob.digest()));
      return true;
    } catch (land.oras.exception.OrasException e) {
      if (e.getStatusCode() != null && e.getStatusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  private <T> T call(
      ImageReference image,
      RegistryAccess.Session session,
      String doing,
      java.util.function.Supplier<T> action) {
    try {
      return action.get();
    } catch (RegistryException e) {
      throw e;
    } catch (RuntimeException e) {
      throw RegistryErrors.translate(e, image, access, session.auth(), doing);
    }
  }
}
