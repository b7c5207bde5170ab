#include "sim/cli/command.hpp"

namespace blocksim::cli {

extern const char kRunUsage[];
extern const char kTraceSummaryUsage[];
extern const char kModelsUsage[];
extern const char kReplayUsage[];
extern const char kProfileImportUsage[];
extern const char kProfileCalibrateUsage[];
extern const char kTraceConvertUsage[];
extern const char kReportUsage[];
int run_main(const std::vector<std::string>& args);
int trace_summary_main(const std::vector<std::string>& args);
int models_main(const std::vector<std::string>& args);
int replay_main(const std::vector<std::string>& args);
int profile_import_main(const std::vector<std::string>& args);
int profile_calibrate_main(const std::vector<std::string>& args);
int trace_convert_main(const std::vector<std::string>& args);
int report_main(const std::vector<std::string>& args);

const std::vector<Command>& commands() {
  static const std::vector<Command> all = {
      {"run", "run a scenario file and print its summary", kRunUsage, &run_main},
      {"trace summary", "print the summary of a trace file", kTraceSummaryUsage, &trace_summary_main},
      {"models", "list the device models", kModelsUsage, &models_main},
      {"replay", "replay a recorded I/O trace on a simulated device", kReplayUsage, &replay_main},
      {"profile import-disksim", "print the device profile of a DiskSim drive", kProfileImportUsage, &profile_import_main},
      {"profile calibrate", "fit a hard disk profile's timing to a trace's measured latencies", kProfileCalibrateUsage,
       &profile_calibrate_main},
      {"trace convert", "convert a trace to blocksim's protobuf trace or CSV", kTraceConvertUsage, &trace_convert_main},
      {"report", "write an HTML report of a trace", kReportUsage, &report_main},
  };
  return all;
}

}  // namespace blocksim::cli
