// The readers of each trace format, one file each, as the format registry lists them: a factory
// that opens the file, and a detector that says whether the first lines look like the format
// (and what it saw, for `--format auto` to report).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/replay/request_reader.hpp"

namespace blocksim {

using FirstLines = std::vector<std::string_view>;

std::unique_ptr<RequestReader> make_disksim_validate_reader(const std::string& path, const ReaderOptions& options);
bool detect_disksim_validate(const FirstLines& lines, std::string* reason);

}  // namespace blocksim
