// The replay's timing modes: as recorded, scaled, closed loop at a queue depth, DiskSim's
// validate. Read from a Replay message (the default depends on the format: validate traces replay
// in validate mode, everything else as recorded), written from the command line's
// `--timing as-recorded|scaled:F|closed:N|validate`, and described for the report.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "blocksim/replay.pb.h"

namespace blocksim {

struct ReplayTiming {
  enum class Mode { kAsRecorded, kScaled, kClosed, kValidate };
  Mode mode = Mode::kAsRecorded;
  double factor = 1;             // kScaled
  std::uint32_t queue_depth = 1;  // kClosed

  // What `config` asks for; `format` (the trace's, resolved) picks the default.
  static ReplayTiming from(const proto::Replay& config, std::string_view format);
  bool open_loop() const { return mode == Mode::kAsRecorded || mode == Mode::kScaled; }
  // "as recorded", "scaled x0.5", "closed loop, queue depth 32", "validate (...)"
  std::string describe() const;
};

// Sets the timing oneof of `config` from "as-recorded", "scaled:F", "closed:N" or "validate";
// returns false with `error` set when the text is none of them.
bool parse_timing(std::string_view text, proto::Replay* config, std::string* error);

}  // namespace blocksim
