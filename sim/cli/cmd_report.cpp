// blocksim report TRACE -o FILE: one self-contained HTML page about a run. The page is drawn by
// the Python analysis package (matplotlib), so this command hands over to Debian's interpreter
// with the build's package folders on PYTHONPATH: python3 -m blocksim_analysis.report.
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "sim/cli/arguments.hpp"
#include "sim/cli/command.hpp"

// Set by CMake: the interpreter, and the folders holding the blocksim and blocksim_analysis packages.
#ifndef BLOCKSIM_PYTHON
#define BLOCKSIM_PYTHON "/usr/bin/python3"
#endif
#ifndef BLOCKSIM_PYTHONPATH
#define BLOCKSIM_PYTHONPATH ""
#endif

namespace blocksim::cli {

extern const char kReportUsage[] = R"(usage: blocksim report TRACE -o FILE [--title TEXT]

Writes one self-contained HTML file (plots embedded) about the run in TRACE: the devices, the
summary table, latency CDFs per layer and operation, throughput, IOPS and queue depth over
time, where on each device requests went, and the devices' end-of-run metrics, with garbage
collection and write amplification for SSDs.

  -o, --output FILE   the HTML file to write
  --title TEXT        the page's title (default: from the scenario)

Needs Debian's python3 with python3-matplotlib and python3-pandas (scripts/install-deps.sh).
Exit status: 0 done, 1 the report could not be drawn, 2 bad input (usage, not a trace).
)";

namespace {

// Adds `value` to a list in the environment, before or after what is there.
void extend_env(const char* name, const std::string& value, bool first) {
  const char* old = std::getenv(name);
  const std::string joined = !old || !*old ? value : first ? value + ":" + old : std::string(old) + ":" + value;
  ::setenv(name, joined.c_str(), 1);
}

}  // namespace

int report_main(const std::vector<std::string>& args) {
  std::vector<std::string> words = args;
  for (auto& word : words)
    if (word == "-o")
      word = "--output";
  Arguments parsed(words, {"--output", "--title"}, {});
  if (parsed.positional().size() != 1)
    throw UsageError("report takes one trace file");
  if (!parsed.has("--output"))
    throw UsageError("report needs -o FILE");

  std::vector<std::string> command = {BLOCKSIM_PYTHON, "-m", "blocksim_analysis.report", parsed.positional()[0],
                                      "--output", *parsed.value("--output")};
  if (parsed.has("--title")) {
    command.push_back("--title");
    command.push_back(*parsed.value("--title"));
  }
  if (*BLOCKSIM_PYTHONPATH)
    extend_env("PYTHONPATH", BLOCKSIM_PYTHONPATH, true);
  // The report reads a replayed trace's measured latencies with this program (`trace convert`).
  char self[4096];
  const ssize_t length = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (length > 0)
    ::setenv("BLOCKSIM_BINARY", std::string(self, static_cast<std::size_t>(length)).c_str(), 1);
#ifdef BLOCKSIM_SANITIZER_PRELOAD
  // A sanitizer build's extension module needs the ASan runtime loaded first into the
  // interpreter (see CMakeLists.txt), which keeps allocations alive at exit by design.
  extend_env("LD_PRELOAD", BLOCKSIM_SANITIZER_PRELOAD, true);
  extend_env("ASAN_OPTIONS", "detect_leaks=0", false);  // the last setting of an option wins
#endif
  std::vector<char*> argv;
  for (auto& word : command)
    argv.push_back(word.data());
  argv.push_back(nullptr);
  std::cout.flush();
  ::execv(argv[0], argv.data());
  std::cerr << "blocksim report: cannot run " << argv[0] << ": " << std::strerror(errno) << "\n";
  return kExitFailed;
}

}  // namespace blocksim::cli
