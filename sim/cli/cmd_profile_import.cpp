// blocksim profile import-disksim FILE: a DiskSim drive as a blocksim device profile.
#include <fstream>
#include <iostream>

#include "sim/cli/arguments.hpp"
#include "sim/cli/command.hpp"
#include "models/hdd/import/disksim_import.hpp"

namespace blocksim::cli {

extern const char kProfileImportUsage[] = R"(usage: blocksim profile import-disksim FILE [--disk NAME] [--output PROFILE]

Reads a DiskSim configuration (a .parv with the .diskspecs, .model and .seek files it refers
to, or a .diskspecs on its own) and prints the blocksim device profile of its disk: a Device
message in text format, for a scenario's `device { profile: "..." }` or `blocksim replay
--device`. The mechanics, layout, cache, controller overheads and the interface's per-sector
time (the larger of the disk's, its bus's and its controller's) are carried over.

Every DiskSim parameter is either carried over or named: a warning on stderr for each one not
modelled, approximated or unknown, and a note for each one that has no effect on timing. Both
head the profile as comments.

  --disk NAME      the disk instance or block to import when the file holds several
  --output FILE    write the profile there instead of to stdout

Exit status: 0 done, 2 the files cannot be read or describe no importable disk.
)";

int profile_import_main(const std::vector<std::string>& args) {
  Arguments parsed(args, {"--disk", "--output"}, {});
  if (parsed.positional().size() != 1)
    throw UsageError("import-disksim takes one DiskSim file");
  disksim::ImportedProfile profile;
  try {
    profile = disksim::import_disksim(parsed.positional()[0], parsed.value("--disk").value_or(""));
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kExitBadInput;
  }
  for (const auto& w : profile.report.warnings)
    std::cerr << "warning: " << w << "\n";
  if (!profile.report.notes.empty())
    std::cerr << "note: " << profile.report.notes.size()
              << " parameters have no effect on timing; the profile's comments name them\n";
  const std::string text = disksim::profile_text(profile);
  if (auto path = parsed.value("--output")) {
    std::ofstream out(*path);
    if (!(out << text)) {
      std::cerr << "error: cannot write \"" << *path << "\"\n";
      return kExitFailed;
    }
  } else {
    std::cout << text;
  }
  return kExitOk;
}

}  // namespace blocksim::cli
