// blocksim-runner: one run of a scenario for blocksim.run() in Python, in a process of its own
// (SimGrid allows one engine per process, and a crash here must not take the notebook with it).
//
//   blocksim-runner --name NAME --folder DIR --trace FILE [--seed N] [--channel-in FD --channel-out FD] [--observe [--observe-layers MASK]]
//
// Reads the scenario as a serialized proto::Scenario (as written, profiles not yet merged) from
// stdin, checks it as `blocksim run` checks a file, runs it, and writes the trace to FILE.
// With the channel it talks to Python over the two inherited pipes (wire_format.hpp): the scenario's
// `python` workload pulls its requests from there, and with --observe every completion is shown
// to the Python callback (only the layers whose bit is set in MASK, bit i for Layer i, if given). Exit status as `blocksim run`: 0 done, 1 the run failed, 2 bad input;
// 3 the pipe to Python broke. Errors are one line on stderr.
#include <iostream>
#include <optional>
#include <sstream>

#include "bindings/runner/completion_forwarder.hpp"
#include "bindings/runner/python_channel.hpp"
#include "bindings/runner/python_request_source.hpp"
#include "sim/cli/arguments.hpp"
#include "sim/run/simulation.hpp"
#include "sim/scenario/scenario_checks.hpp"
#include "sim/scenario/scenario_error.hpp"
#include "sim/scenario/scenario_loader.hpp"

namespace {

using namespace blocksim;

constexpr int kExitOk = 0;
constexpr int kExitFailed = 1;
constexpr int kExitBadInput = 2;

proto::Scenario read_scenario(const std::string& name) {
  std::ostringstream bytes;
  bytes << std::cin.rdbuf();
  proto::Scenario scenario;
  if (!scenario.ParseFromString(bytes.str()))
    throw ScenarioError(name, 0, 0, "", "the scenario handed to the runner cannot be parsed");
  return scenario;
}

// The `python` workload's source, built when the Simulation asks for it; `made` keeps a pointer
// for the completion forwarder.
PythonSourceFactory python_sources(PythonChannel& channel, const proto::Scenario& scenario,
                                   PythonRequestSource** made) {
  return [&channel, &scenario, made](const proto::Workload&, const WorkloadContext& context) {
    std::vector<IOStorage*> targets;
    for (int i = 0; i < scenario.device_size(); ++i)
      targets.push_back(context.target(device_name(scenario, i)));
    auto source = std::make_unique<PythonRequestSource>(*context.engine, channel, *context.ids,
                                                        *context.target(context.default_target), std::move(targets));
    *made = source.get();
    return source;
  };
}

int run(const std::vector<std::string>& args) {
  const cli::Arguments parsed(args, {"--name", "--folder", "--trace", "--seed", "--channel-in", "--channel-out",
                               "--observe-layers"},
                              {"--observe"});
  if (!parsed.positional().empty())
    throw cli::UsageError("unexpected argument \"" + parsed.positional()[0] + "\"");
  const std::string name = parsed.value("--name").value_or("<python>");
  const std::string folder = parsed.value("--folder").value_or(".");
  std::optional<PythonChannel> channel;
  if (parsed.has("--channel-in") != parsed.has("--channel-out"))
    throw cli::UsageError("--channel-in and --channel-out go together");
  if (parsed.has("--channel-in"))
    channel.emplace(static_cast<int>(*parsed.unsigned_value("--channel-in")),
                    static_cast<int>(*parsed.unsigned_value("--channel-out")));

  const LoadedScenario loaded = check_scenario_message(read_scenario(name), name, folder);
  RunOptions options;
  options.trace_path = parsed.value("--trace");
  options.seed = parsed.unsigned_value("--seed");
  PythonRequestSource* source = nullptr;
  if (channel)
    options.python_source = python_sources(*channel, loaded.scenario, &source);

  Simulation simulation(loaded, options);
  std::optional<CompletionForwarder> forwarder;
  if (parsed.has("--observe")) {
    if (!channel)
      throw cli::UsageError("--observe needs the channel");
    const auto layers = parsed.unsigned_value("--observe-layers").value_or((1U << kLayerCount) - 1);
    forwarder.emplace(*channel, source, static_cast<std::uint32_t>(layers));
    simulation.add_observer(&*forwarder);
  }
  simulation.run();
  if (forwarder)
    forwarder->finish();
  return simulation.check_contract(std::cerr) ? kExitOk : kExitFailed;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  try {
    return run(args);
  } catch (const ScenarioError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const cli::UsageError& e) {
    std::cerr << "blocksim runner: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return kExitFailed;
  }
}
