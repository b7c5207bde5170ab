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

void SourceMap::add_profile(const std::string& field, int index, std::shared_ptr<const SourceMap> profile,
                            std::shared_ptr<const google::protobuf::Message> own) {
  profiles_[{field, index}] = Profile{std::move(profile), std::move(own)};
}

ScenarioError SourceMap::error(const FieldPath& path, const std::string& what) const {
  if (path.size() >= 2) {
    const auto profile = profiles_.find({path[0].field, path[0].index});
    if (profile != profiles_.end()) {
      // The field is the profile's unless the scenario set it itself.
      const auto& own = *profile->second.own;
      const auto* field = own.GetDescriptor()->FindFieldByName(path[1].field);
      const auto* reflection = own.GetReflection();
      const bool set_here = field != nullptr && (field->is_repeated() ? reflection->FieldSize(own, field) > 0
                                                                      : reflection->HasField(own, field));
      if (field != nullptr && !set_here) {
        const FieldPath inside(path.begin() + 1, path.end());
        const auto [line, column] = profile->second.map->locate(inside);
        return ScenarioError(profile->second.map->file(), line, column, path_to_string(inside),
                             what + " (in the profile of " + path_to_string({path[0]}) + ")");
      }
    }
  }
  const auto [line, column] = locate(path);
  return ScenarioError(file_, line, column, path_to_string(path), what);
}

}  // namespace blocksim
