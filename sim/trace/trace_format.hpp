// Constants shared by the trace writer and reader; the layout is documented in
// docs/trace_format.md: the magic, a length-delimited proto::TraceHeader, then length-delimited
// TraceRecords, the last of which is a proto::RunEnd when the run finished.
#pragma once

#include <cstdint>
#include <string_view>

#include "blocksim/trace.pb.h"
#include "sim/device/completion_record.hpp"

namespace blocksim {

inline constexpr std::string_view kTraceMagic = "BSIMTRC1";
inline constexpr std::uint32_t kTraceFormatVersion = 1;

void to_proto(const CompletionRecord& record, proto::Completion* out);
CompletionRecord from_proto(const proto::Completion& completion);

}  // namespace blocksim
