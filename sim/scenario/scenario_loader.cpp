#include "sim/scenario/scenario_loader.hpp"

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include "sim/scenario/parse_hints.hpp"
#include "sim/scenario/scenario_checks.hpp"
#include "sim/scenario/schema_checks.hpp"
#include "sim/scenario/source_map.hpp"

namespace blocksim {

namespace {

using google::protobuf::TextFormat;

std::string read_file(const std::string& path) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (!std::filesystem::exists(status))
    throw ScenarioError(path, 0, 0, "", "cannot read: no such file");
  if (!std::filesystem::is_regular_file(status))
    throw ScenarioError(path, 0, 0, "", "cannot read: not a regular file");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw ScenarioError(path, 0, 0, "", "cannot read: permission denied");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The field a parse error is about: the last "name:" or "name {" before the error's column on
// that line, since protobuf's messages for a wrong value do not name it.
std::string field_at(const std::string& text, int line, int column) {
  std::istringstream lines(text);
  std::string current;
  for (int i = 0; i <= line && std::getline(lines, current); ++i) {
  }
  if (column + 1 < static_cast<int>(current.size()))
    current.resize(static_cast<std::size_t>(column + 1));
  std::string field;
  for (std::size_t i = 0; i < current.size();) {
    if (std::isalpha(static_cast<unsigned char>(current[i])) || current[i] == '_') {
      std::size_t j = i;
      while (j < current.size() && (std::isalnum(static_cast<unsigned char>(current[j])) || current[j] == '_'))
        ++j;
      std::size_t k = j;
      while (k < current.size() && current[k] == ' ')
        ++k;
      if (k < current.size() && (current[k] == ':' || current[k] == '{'))
        field = current.substr(i, j - i);
      i = j;
    } else if (current[i] == '"') {
      const auto end = current.find('"', i + 1);
      i = end == std::string::npos ? current.size() : end + 1;
    } else {
      ++i;
    }
  }
  return field;
}

class ErrorToException : public google::protobuf::io::ErrorCollector {
 public:
  ErrorToException(const std::string& name, const std::string& text) : name_(name), text_(text) {}
  void AddError(int line, google::protobuf::io::ColumnNumber column, const std::string& message) override {
    if (!first_)
      first_ = std::make_unique<ScenarioError>(name_, line + 1, column + 1, field_at(text_, line, column),
                                               parse_error_with_hint(text_, message));
  }
  void AddWarning(int, google::protobuf::io::ColumnNumber, const std::string&) override {}
  void throw_if_failed() const {
    if (first_)
      throw *first_;
  }

 private:
  const std::string& name_;
  const std::string& text_;
  std::unique_ptr<ScenarioError> first_;
};

std::string resolve(const std::string& folder, const std::string& path) {
  if (path.empty() || path.front() == '/' || folder.empty())
    return path;
  return (std::filesystem::path(folder) / path).lexically_normal().string();
}

// Reads each device's profile and lays the scenario's own fields over it.
void merge_profiles(proto::Scenario& scenario, const std::string& folder, SourceMap& scenario_source) {
  for (int i = 0; i < scenario.device_size(); ++i) {
    proto::Device& device = *scenario.mutable_device(i);
    if (!device.has_profile())
      continue;
    const std::string path = resolve(folder, device.profile());
    std::string text;
    try {
      text = read_file(path);
    } catch (const ScenarioError&) {
      throw scenario_source.error({{"device", i}, {"profile", -1}}, "cannot read profile \"" + path + "\"");
    }
    proto::Device merged;
    auto tree = std::make_shared<TextFormat::ParseInfoTree>();
    parse_text_format(text, path, &merged, tree.get());
    if (merged.has_profile())
      throw SourceMap(path, tree, proto::Device::descriptor()).error({{"profile", -1}}, "a profile cannot name another profile");
    auto profile_source = std::make_shared<const SourceMap>(path, tree, proto::Device::descriptor());
    check_schema(merged, *profile_source, {}, false);
    scenario_source.add_profile("device", i, profile_source, std::make_shared<const proto::Device>(device));
    merged.MergeFrom(device);
    device = merged;
  }
}

LoadedScenario finish_loading(proto::Scenario scenario, const std::string& name, const std::string& folder,
                              std::shared_ptr<TextFormat::ParseInfoTree> tree) {
  SourceMap source(name, tree, proto::Scenario::descriptor());
  check_schema(scenario, source, {}, false);
  merge_profiles(scenario, folder, source);
  check_schema(scenario, source, {}, true);
  check_scenario(scenario, source);
  return LoadedScenario{std::move(scenario), name, folder};
}

}  // namespace

void parse_text_format(const std::string& text, const std::string& name, google::protobuf::Message* message,
                       TextFormat::ParseInfoTree* tree) {
  TextFormat::Parser parser;
  ErrorToException errors(name, text);
  parser.RecordErrorsTo(&errors);
  parser.WriteLocationsTo(tree);
  const bool ok = parser.ParseFromString(text, message);
  errors.throw_if_failed();
  if (!ok)
    throw ScenarioError(name, 0, 0, "", "cannot be parsed");
}

LoadedScenario load_scenario_file(const std::string& path) {
  const std::string text = read_file(path);
  const std::string folder = std::filesystem::path(path).parent_path().string();
  return load_scenario_text(text, path, folder);
}

LoadedScenario load_scenario_text(const std::string& text, const std::string& name, const std::string& folder) {
  proto::Scenario scenario;
  auto tree = std::make_shared<TextFormat::ParseInfoTree>();
  parse_text_format(text, name, &scenario, tree.get());
  return finish_loading(std::move(scenario), name, folder, tree);
}

LoadedScenario check_scenario_message(const proto::Scenario& scenario, const std::string& name, const std::string& folder) {
  return finish_loading(scenario, name, folder, nullptr);
}

}  // namespace blocksim
