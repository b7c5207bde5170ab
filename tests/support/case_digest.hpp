// The digest of one contract case run in a process of its own: `contract_case --digest ARGUMENTS`
// (its FNV-1a digest of every record of every layer), followed by " status N", its exit status.
// For the tests that compare two runs of a case: determinism, and the engine's two paths.
#pragma once

#include <cstdio>
#include <string>

namespace blocksim::testing {

inline std::string case_digest(const std::string& contract_case, const std::string& arguments) {
  const std::string command = contract_case + " --digest " + arguments;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe)
    return "popen failed";
  std::string out;
  char buffer[128];
  while (fgets(buffer, sizeof buffer, pipe))
    out += buffer;
  return out + " status " + std::to_string(pclose(pipe));
}

}  // namespace blocksim::testing
