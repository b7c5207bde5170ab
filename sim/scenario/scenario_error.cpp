#include "sim/scenario/scenario_error.hpp"

#include <sstream>

namespace blocksim {

namespace {
std::string format(const std::string& file, int line, int column, const std::string& field, const std::string& what) {
  std::ostringstream out;
  out << file;
  if (line > 0)
    out << ':' << line << ':' << column;
  out << ": ";
  if (!field.empty())
    out << field << ": ";
  out << what;
  return out.str();
}
}  // namespace

ScenarioError::ScenarioError(std::string file, int line, int column, std::string field, const std::string& what)
    : std::runtime_error(format(file, line, column, field, what)),
      file_(std::move(file)),
      line_(line),
      column_(column),
      field_(std::move(field)) {}

}  // namespace blocksim
