package io.rustless.cli.gateway.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A request body on its way to the upstream: the request's thread puts chunks in as the plugins
 * pass them, the HTTP client reads them out. Bounded, so a slow upstream slows the client down; a
 * writer gives up when {@code abandoned} says the upstream will not read any more (it failed or
 * answered), instead of blocking forever.
 */
final class BodyPipe extends InputStream {
  private static final byte[] END = new byte[0];

  private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(16);
  private final BooleanSupplier abandoned;
  private byte[] current = new byte[0];
  private int pos;
  private boolean ended;
  private boolean closedForWrite;

  BodyPipe(BooleanSupplier abandoned) {
    this.abandoned = abandoned;
  }

  /** Adds a chunk; an {@link IOException} if the reader has gone. */
  void write(byte[] chunk) throws IOException {
    if (chunk.length > 0) {
      put(chunk);
    }
  }

  /** No more chunks. */
  void finish() throws IOException {
    if (!closedForWrite) {
      closedForWrite = true;
      put(END);
    }
  }

  private void put(byte[] chunk) throws IOException {
    try {
      while (!chunks.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
        if (abandoned.getAsBoolean()) {
          throw new IOException("the upstream stopped reading the request body");
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (pos == current.length) {
      if (ended) {
        return -1;
      }
      try {
        byte[] next = chunks.take();
        if (next == END) {
          ended = true;
          return -1;
        }
        current = next;
        pos = 0;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
    int n = Math.min(len, current.length - pos);
    System.arraycopy(current, pos, b, off, n);
    pos += n;
    return n;
  }
}
