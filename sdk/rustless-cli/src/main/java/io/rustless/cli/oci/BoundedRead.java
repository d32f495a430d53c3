package io.rustless.cli.oci;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reading a stream whose size a remote party chooses (a layer, a download) with a ceiling. */
public final class BoundedRead {
  private BoundedRead() {}

  /**
   * All of {@code in}, or an {@link IOException} saying "more than {@code max} bytes" as soon as it
   * goes past that: a hostile or broken source cannot fill the heap.
   */
  public static byte[] readAtMost(InputStream in, long max) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[64 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(buf)) > 0) {
      total += n;
      if (total > max) {
        throw new IOException("more than " + max + " bytes");
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }
}
