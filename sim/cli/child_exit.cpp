#include "sim/cli/child_exit.hpp"

#include <sys/wait.h>

#include <cerrno>

namespace blocksim::cli {

int wait_for_exit(pid_t child) {
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace blocksim::cli
