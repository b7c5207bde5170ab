#include "sim/scenario/source_map.hpp"

namespace blocksim {

std::string path_to_string(const FieldPath& path) {
  std::string out;
  for (const auto& step : path) {
    if (!out.empty())
      out += '.';
    out += step.field;
    if (step.index >= 0) {
      // Appended piece by piece: GCC 12 at -O3 warns falsely (-Wrestrict) on "[" + string + "]".
      out += '[';
      out += std::to_string(step.index);
      out += ']';
    }
  }
  return out;
}

SourceMap::SourceMap(std::string file, std::shared_ptr<const google::protobuf::TextFormat::ParseInfoTree> tree,
                     const google::protobuf::Descriptor* root)
    : file_(std::move(file)), tree_(std::move(tree)), root_(root) {}

std::pair<int, int> SourceMap::locate(const FieldPath& path) const {
  std::pair<int, int> found{0, 0};
  const google::protobuf::TextFormat::ParseInfoTree* tree = tree_.get();
  const google::protobuf::Descriptor* type = root_;
  for (const auto& step : path) {
    if (tree == nullptr || type == nullptr)
      break;
    const auto* field = type->FindFieldByName(step.field);
    if (field == nullptr)
      break;
    const auto location = tree->GetLocation(field, field->is_repeated() ? step.index : -1);
    if (location.line < 0)
      break;
    found = {location.line + 1, location.column + 1};
    if (field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE)
      break;
    tree = tree->GetTreeForNested(field, field->is_repeated() ? step.index : -1);
    type = field->message_type();
  }
  return found;
}

ScenarioError SourceMap::error(const FieldPath& path, const std::string& what) const {
  const auto [line, column] = locate(path);
  return ScenarioError(file_, line, column, path_to_string(path), what);
}

}  // namespace blocksim
