package io.rustless.operator.git;

import java.util.Optional;

/** Resolves a branch, tag or ref of a remote repository to the commit it points at now. */
@FunctionalInterface
public interface GitRevisionResolver {

  /**
   * @throws GitResolveException when the repository cannot be read or has no such revision
   */
  String resolve(String repository, String revision, Optional<GitCredentials> credentials);
}
