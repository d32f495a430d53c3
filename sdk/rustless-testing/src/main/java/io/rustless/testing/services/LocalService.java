package io.rustless.testing.services;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server process the tests start on 127.0.0.1 and stop afterwards; its output goes to a log file
 * that failures quote.
 */
public class LocalService implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;
  private final int port;

  protected LocalService(String name, List<String> command, Path workDir, int port) {
    this.name = name;
    this.port = port;
    this.log = workDir.resolve(name + ".log");
    try {
      Files.createDirectories(workDir);
      this.process =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
    } catch (IOException e) {
      throw new AssertionError("cannot start " + name + ": " + e.getMessage(), e);
    }
    awaitPort();
  }

  /** A free TCP port on 127.0.0.1. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new AssertionError("no free port: " + e.getMessage(), e);
    }
  }

  public int port() {
    return port;
  }

  public String name() {
    return name;
  }

  private void awaitPort() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(
            name + " exited at start-up (" + process.exitValue() + "):\n" + logText());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        sleep();
      }
    }
    close();
    throw new AssertionError(name + " did not listen on 127.0.0.1:" + port + ":\n" + logText());
  }

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** What the process printed so far. */
  public String logText() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
