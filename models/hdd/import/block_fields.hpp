// Reading one DiskSim parameter block while keeping account of every parameter: each is either
// taken into the profile, or named in a note (known, no effect on timing) or a warning (not
// modelled, approximated, or unknown). finish() warns about every parameter nobody asked for, so
// nothing in an imported file is dropped silently.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "models/hdd/import/disksim_params.hpp"

namespace blocksim::disksim {

struct ImportReport {
  std::vector<std::string> warnings;  // not modelled, approximated, unknown
  std::vector<std::string> notes;     // read, but without effect on timing
};

class BlockFields {
 public:
  BlockFields(const ParamBlock& block, ImportReport& report);
  ~BlockFields();

  // The parameter, or null; either way it counts as seen.
  const ParamValue* get(const std::string& name);
  double number(const std::string& name, double fallback);
  long integer(const std::string& name, long fallback);
  std::string text(const std::string& name, const std::string& fallback);
  // A required parameter: throws ParamError when absent.
  const ParamValue& require(const std::string& name);

  // Marks a parameter seen; when present, records `reason` as a note.
  void no_effect(const std::string& name, const std::string& reason);
  // Marks a parameter seen; when present and its value is not `harmless`, warns with `reason`.
  void unsupported_unless(const std::string& name, const std::string& harmless, const std::string& reason);
  void warn(const std::string& name, const std::string& what);
  void note(const std::string& name, const std::string& what);

  // Warns about every parameter not seen. Called by the destructor if not before.
  void finish();
  std::string where(const ParamValue& value) const;

 private:
  std::string label(const std::string& name) const;

  const ParamBlock& block_;
  ImportReport& report_;
  std::set<std::string> seen_;
  bool finished_ = false;
};

}  // namespace blocksim::disksim
