// Hints added to protobuf's text-format parse errors so that they teach: the closest valid field
// names for an unknown one, and, when the file ends inside a block, which block was left open
// and where. Used by the scenario loader's error collector for scenarios and profiles alike.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace blocksim {

// Up to three of `candidates` closest to `name` (edit distance at most a third of its length,
// at least 2; a candidate containing `name`, or contained in it, counts too), closest first.
std::vector<std::string> closest_names(std::string_view name, const std::vector<std::string>& candidates);

// `message` (protobuf's, for an error in `text`) with a hint when there is one: "did you mean ..."
// for `Message type "T" has no field named "x"`, the open block for an error at the end of the text.
std::string parse_error_with_hint(const std::string& text, const std::string& message);

}  // namespace blocksim
