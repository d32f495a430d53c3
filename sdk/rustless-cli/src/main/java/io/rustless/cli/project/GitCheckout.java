package io.rustless.cli.project;

import io.rustless.cli.BuildException;
import io.rustless.cli.UsageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A revision of a git repository checked out into a temporary directory with the {@code git} binary
 * (the builder image has it; JGit would add megabytes to the jar for one command). Deleted on
 * {@link #close()}.
 */
public final class GitCheckout implements AutoCloseable {
  private static final long TIMEOUT_MINUTES = 10;

  private final Path dir;
  private final String commit;

  private GitCheckout(Path dir, String commit) {
    this.dir = dir;
    this.commit = commit;
  }

  /**
   * Checks out {@code revision} (a commit, branch or tag) of {@code repository}. Tries a shallow
   * fetch of just that revision first, and falls back to a full clone for servers that refuse to
   * fetch a commit by its id.
   */
  public static GitCheckout checkout(
      String repository, String revision, Consumer<String> progress) {
    if (repository == null || repository.isBlank()) {
      throw new UsageException("--git needs a repository URL");
    }
    if (revision == null || revision.isBlank() || revision.startsWith("-")) {
      throw new UsageException("--revision needs a commit, branch or tag");
    }
    Path dir;
    try {
      dir = Files.createTempDirectory("rustless-git-");
    } catch (IOException e) {
      throw new BuildException("cannot create a directory for the checkout: " + e.getMessage(), e);
    }
    try {
      progress.accept("fetching " + revision + " from " + repository);
      git(dir, "init", "-q");
      git(dir, "remote", "add", "origin", repository);
      if (!tryGit(dir, "fetch", "-q", "--depth", "1", "origin", revision)) {
        progress.accept("shallow fetch refused; cloning the whole repository");
        git(dir, "fetch", "-q", "origin");
        git(dir, "fetch", "-q", "origin", "+refs/tags/*:refs/tags/*");
        String target = resolve(dir, revision);
        git(dir, "checkout", "-q", "--detach", target);
      } else {
        git(dir, "checkout", "-q", "--detach", "FETCH_HEAD");
      }
      String commit = output(dir, "rev-parse", "HEAD").strip();
      progress.accept("checked out " + commit);
      return new GitCheckout(dir, commit);
    } catch (RuntimeException e) {
      delete(dir);
      throw e;
    }
  }

  private static String resolve(Path dir, String revision) {
    for (String candidate : List.of("origin/" + revision, revision)) {
      if (tryGit(dir, "rev-parse", "-q", "--verify", candidate + "^{commit}")) {
        return candidate;
      }
    }
    throw new BuildException("revision '" + revision + "' is not in the repository");
  }

  public Path directory() {
    return dir;
  }

  /** The commit that was checked out. */
  public String commit() {
    return commit;
  }

  /** {@code path} inside the checkout; refuses paths that leave it. */
  public Path resolvePath(String path) {
    Path p = dir.resolve(path == null ? "" : path).normalize();
    if (!p.startsWith(dir)) {
      throw new UsageException("--path " + path + " leaves the repository");
    }
    if (!Files.isRegularFile(p.resolve("pom.xml"))) {
      throw new UsageException(
          "--path "
              + path
              + " is not an extension in the repository at "
              + commit
              + " (no pom.xml)");
    }
    return p;
  }

  @Override
  public void close() {
    delete(dir);
  }

  private static void git(Path dir, String... args) {
    Result r = run(dir, args);
    if (r.exit != 0) {
      throw new BuildException("git " + args[0] + " failed: " + lastLine(r.output));
    }
  }

  private static boolean tryGit(Path dir, String... args) {
    return run(dir, args).exit == 0;
  }

  private static String output(Path dir, String... args) {
    Result r = run(dir, args);
    if (r.exit != 0) {
      throw new BuildException("git " + args[0] + " failed: " + lastLine(r.output));
    }
    return r.output;
  }

  private record Result(int exit, String output) {}

  private static Result run(Path dir, String... args) {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    // Never wait for a password on a terminal that is not there.
    pb.environment().put("GIT_TERMINAL_PROMPT", "0");
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new BuildException(
            "git " + args[0] + " took longer than " + TIMEOUT_MINUTES + " min");
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new BuildException("cannot run git (is it installed?): " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BuildException("interrupted while running git");
    }
  }

  private static String lastLine(String output) {
    String[] lines = output.strip().split("\n");
    return lines.length == 0 || lines[lines.length - 1].isBlank()
        ? "(no output)"
        : lines[lines.length - 1].strip();
  }

  private static void delete(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // A temporary directory left behind is not worth failing a publish for.
    }
  }
}
