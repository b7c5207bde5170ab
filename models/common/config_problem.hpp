// The first thing wrong with a device's parameters, at the field it is about, so that the
// scenario checks can point at that field's line and column. A model's check returns one.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace blocksim {

// A field, as (field name, repeated index or -1 for a singular field) steps from the Device message.
using ConfigPath = std::vector<std::pair<std::string, int>>;

struct ConfigProblem {
  ConfigPath path;
  std::string message;
};

}  // namespace blocksim
