// Where each field of a message parsed from text format sits in its file, so that a check made
// after parsing can point at the line and column of the value it rejects. A path is a list of
// steps (field name, index; index -1 for a singular field), e.g. {{"device", 0}, {"capacity", -1}}.
// A device whose fields came from a profile file has that file's map too: an error about a field
// the profile set (and the scenario did not override) points into the profile.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/text_format.h>

#include "sim/scenario/scenario_error.hpp"

namespace blocksim {

struct PathStep {
  std::string field;
  int index = -1;
};
using FieldPath = std::vector<PathStep>;

// "device[0].reference.queue_depth"
std::string path_to_string(const FieldPath& path);

class SourceMap {
 public:
  // `tree` may be null (a message built in code): every location is then unknown.
  SourceMap(std::string file, std::shared_ptr<const google::protobuf::TextFormat::ParseInfoTree> tree,
            const google::protobuf::Descriptor* root);

  const std::string& file() const { return file_; }
  // 1-based line and column of the value at `path`, or of the nearest enclosing value found.
  std::pair<int, int> locate(const FieldPath& path) const;
  ScenarioError error(const FieldPath& path, const std::string& what) const;

  // The profile of the repeated field `field`'s element `index` (a device): its map, and the
  // element as the scenario itself wrote it, before the profile was laid under it (kept).
  void add_profile(const std::string& field, int index, std::shared_ptr<const SourceMap> profile,
                   std::shared_ptr<const google::protobuf::Message> own);

 private:
  struct Profile {
    std::shared_ptr<const SourceMap> map;
    std::shared_ptr<const google::protobuf::Message> own;
  };
  std::map<std::pair<std::string, int>, Profile> profiles_;

  std::string file_;
  std::shared_ptr<const google::protobuf::TextFormat::ParseInfoTree> tree_;
  const google::protobuf::Descriptor* root_;
};

}  // namespace blocksim
