// A small parser for "positional --option value --flag" command lines, enough for blocksim's
// commands: every option is declared, unknown ones are usage errors.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
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

}  // namespace blocksim::cli
