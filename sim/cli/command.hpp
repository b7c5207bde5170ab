// The command-line program's commands. Each command lives in a file of its own and is listed once
// in commands.cpp. A command gets its arguments after its name and returns the exit status:
// 0 done, 1 the run failed, 2 bad input (usage, scenario, trace).
#pragma once

#include <string>
#include <vector>

namespace blocksim::cli {

struct Command {
  std::string name;     // "run", "trace summary"
  std::string summary;  // one line for `blocksim --help`
  std::string usage;    // the whole `--help` text
  int (*main)(const std::vector<std::string>& args);
};

const std::vector<Command>& commands();

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitBadInput = 2;

}  // namespace blocksim::cli
