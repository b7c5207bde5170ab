// An error in a scenario or profile file, with where it is: "file:line:column: field: what".
// Line and column are 1-based; 0 when the place is not known (a value set from Python).
// The command line prints the message and exits with status 2.
#pragma once

#include <stdexcept>
#include <string>

namespace blocksim {

class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(std::string file, int line, int column, std::string field, const std::string& what);

  const std::string& file() const { return file_; }
  int line() const { return line_; }
  int column() const { return column_; }
  const std::string& field() const { return field_; }

 private:
  std::string file_;
  int line_;
  int column_;
  std::string field_;
};

}  // namespace blocksim
