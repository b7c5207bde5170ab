// A small parser for "positional --option value --flag" command lines, enough for blocksim's
// commands: every option is declared, unknown ones are usage errors.
#pragma once

#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace blocksim::cli {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Arguments {
 public:
  // `with_value`: options followed by a value; `flags`: options without one.
  Arguments(const std::vector<std::string>& args, const std::set<std::string>& with_value,
            const std::set<std::string>& flags);

  const std::vector<std::string>& positional() const { return positional_; }
  bool has(const std::string& option) const { return values_.count(option) > 0; }
  std::optional<std::string> value(const std::string& option) const;
  std::optional<std::uint64_t> unsigned_value(const std::string& option) const;
  std::optional<double> number_value(const std::string& option) const;

 private:
  std::vector<std::string> positional_;
  std::map<std::string, std::string> values_;
};

// The value of `option` as one of `choices` (`fallback` when absent); a usage error naming the
// choices for anything else.
template <class Enum>
Enum choose(const Arguments& parsed, const std::string& option, std::initializer_list<std::pair<const char*, Enum>> choices,
            Enum fallback) {
  const auto value = parsed.value(option);
  if (!value)
    return fallback;
  std::string names;
  for (const auto& [name, choice] : choices) {
    if (*value == name)
      return choice;
    names += (names.empty() ? "" : ", ") + std::string(name);
  }
  throw UsageError("option " + option + " takes one of " + names + ", got \"" + *value + "\"");
}

}  // namespace blocksim::cli
