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

std::unique_ptr<RequestReader> make_blocksim_trace_reader(const std::string& path, const ReaderOptions& options);
bool detect_blocksim_trace(const FirstLines& lines, std::string* reason);
std::unique_ptr<RequestReader> make_request_csv_reader(const std::string& path, const ReaderOptions& options);
bool detect_request_csv(const FirstLines& lines, std::string* reason);
std::unique_ptr<RequestReader> make_fio_iolog_reader(const std::string& path, const ReaderOptions& options);
bool detect_fio_iolog(const FirstLines& lines, std::string* reason);
std::unique_ptr<RequestReader> make_msr_reader(const std::string& path, const ReaderOptions& options);
bool detect_msr(const FirstLines& lines, std::string* reason);
std::unique_ptr<RequestReader> make_umass_reader(const std::string& path, const ReaderOptions& options);
bool detect_umass(const FirstLines& lines, std::string* reason);
std::unique_ptr<RequestReader> make_blkparse_reader(const std::string& path, const ReaderOptions& options);
bool detect_blkparse(const FirstLines& lines, std::string* reason);
std::unique_ptr<RequestReader> make_disksim_validate_reader(const std::string& path, const ReaderOptions& options);
bool detect_disksim_validate(const FirstLines& lines, std::string* reason);
std::unique_ptr<RequestReader> make_disksim_ascii_reader(const std::string& path, const ReaderOptions& options);
bool detect_disksim_ascii(const FirstLines& lines, std::string* reason);
std::unique_ptr<RequestReader> make_mqsim_reader(const std::string& path, const ReaderOptions& options);
bool detect_mqsim(const FirstLines& lines, std::string* reason);

}  // namespace blocksim
