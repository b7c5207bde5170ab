// Fuzzes the DiskSim importer (`blocksim profile import-disksim`) and the profile printer. A
// DiskSim drive is several files (.parv, .diskspecs, .model, .seek) that source one another, so
// an input is a bundle: the main .parv file, then any number of other files, each after a line
// "=== NAME" (NAME: letters, digits, '.', '_', '-'). The bundle is unpacked into a folder of this
// process's own. Any input must import or give an error (which the command line turns into exit
// status 2), never a crash, a hang, a leak or a sanitizer report.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "models/hdd/import/disksim_import.hpp"

namespace {

const std::string& folder() {
  static const std::string path = [] {
    char name[] = "/tmp/disksim_fuzz_XXXXXX";
    const char* made = ::mkdtemp(name);
    return std::string(made ? made : "/tmp");
  }();
  return path;
}

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 64 || name[0] == '.')
    return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-'))
      return false;
  return true;
}

// Writes the bundle's files; returns their paths (the first is the main file).
std::vector<std::string> unpack(std::string_view bundle) {
  std::vector<std::string> paths;
  std::string name = "main.parv";
  for (;;) {
    const std::size_t marker = bundle.find("\n=== ");
    const std::string_view body = bundle.substr(0, marker);
    if (valid_name(name)) {
      const std::string path = folder() + "/" + name;
      std::ofstream(path, std::ios::binary).write(body.data(), static_cast<std::streamsize>(body.size()));
      paths.push_back(path);
    }
    if (marker == std::string_view::npos)
      break;
    bundle.remove_prefix(marker + 5);
    const std::size_t end = bundle.find('\n');
    name = std::string(bundle.substr(0, end));
    bundle.remove_prefix(end == std::string_view::npos ? bundle.size() : end + 1);
  }
  return paths;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto paths = unpack(std::string_view(reinterpret_cast<const char*>(data), size));
  try {
    const auto profile = blocksim::disksim::import_disksim(paths.front());
    (void)blocksim::disksim::profile_text(profile);
  } catch (const std::exception&) {
  }
  for (const auto& path : paths)
    ::unlink(path.c_str());
  return 0;
}
