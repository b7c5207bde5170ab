// measure_child REPORT PROGRAM [ARGS...]: runs PROGRAM and writes to the file REPORT one line,
// "exit_status user_seconds system_seconds peak_rss_kib", from wait4's rusage; exits as PROGRAM
// did. bench/run_all starts every measured child through it.
//
// Why not wait4 from Python directly: Linux counts in a child's ru_maxrss the resident set of the
// process it was forked from (at the exec), so a child of the Python interpreter never shows less
// than the interpreter's 10-15 MiB. Forked from this small program instead, the floor is this
// program's own resident set (about 1 MiB).
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: measure_child REPORT PROGRAM [ARGS...]\n");
    return 2;
  }
  const pid_t child = ::fork();
  if (child < 0) {
    std::perror("measure_child: fork");
    return 2;
  }
  if (child == 0) {
    ::execvp(argv[2], argv + 2);
    std::perror("measure_child: exec");
    ::_exit(127);
  }
  int status = 0;
  rusage usage{};
  if (::wait4(child, &status, 0, &usage) < 0) {
    std::perror("measure_child: wait4");
    return 2;
  }
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  std::FILE* report = std::fopen(argv[1], "w");
  if (!report) {
    std::perror("measure_child: report");
    return 2;
  }
  std::fprintf(report, "%d %ld.%06ld %ld.%06ld %ld\n", code, static_cast<long>(usage.ru_utime.tv_sec),
               static_cast<long>(usage.ru_utime.tv_usec), static_cast<long>(usage.ru_stime.tv_sec),
               static_cast<long>(usage.ru_stime.tv_usec), usage.ru_maxrss);
  std::fclose(report);
  return code;
}
