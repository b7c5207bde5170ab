// What every benchmark needs around a SimGrid run: its peak resident memory, and a fresh process
// to run in (SimGrid allows one engine per process, and a fork would inherit the parent's peak
// RSS). Header only, for bench/ and for tests that bound memory.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

namespace blocksim::bench {

// Peak resident set of this process, in KiB, from /proc/self/status (VmHWM); 0 if unreadable.
inline double peak_rss_kib() {
  std::FILE* status = std::fopen("/proc/self/status", "r");
  if (!status)
    return 0;
  char line[256];
  double kib = 0;
  while (std::fgets(line, sizeof line, status))
    if (std::sscanf(line, "VmHWM: %lf kB", &kib) == 1)
      break;
  std::fclose(status);
  return kib;
}

// Runs this program again with `arguments` (already quoted for the shell) and reads the `count`
// numbers the child prints on its standard output. Empty when the child fails or prints fewer.
inline std::vector<double> run_self(const std::string& arguments, std::size_t count) {
  const std::string command = "/proc/" + std::to_string(::getpid()) + "/exe " + arguments;
  std::FILE* child = ::popen(command.c_str(), "r");
  if (!child)
    return {};
  std::vector<double> numbers(count);
  std::size_t read = 0;
  while (read < count && std::fscanf(child, "%lf", &numbers[read]) == 1)
    ++read;
  const bool exited_cleanly = ::pclose(child) == 0;
  if (!exited_cleanly || read < count)
    return {};
  return numbers;
}

}  // namespace blocksim::bench
