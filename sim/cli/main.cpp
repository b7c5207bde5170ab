// blocksim: the command-line program. Finds the command named by the first words, handles --help
// at every level, and turns errors into a message on stderr and an exit status.
#include <iostream>
#include <sstream>

#include "sim/cli/arguments.hpp"
#include "sim/cli/command.hpp"
#include "sim/scenario/scenario_error.hpp"
#include "sim/trace/trace_reader.hpp"

#ifndef BLOCKSIM_VERSION
#define BLOCKSIM_VERSION "0.0.0"
#endif

namespace {

using blocksim::cli::Command;

void print_overview(std::ostream& out) {
  out << "usage: blocksim COMMAND [ARGS...]\n\nblocksim simulates block storage devices under workloads.\n\n"
         "commands:\n";
  for (const auto& command : blocksim::cli::commands())
    out << "  " << command.name << std::string(16 - std::min<std::size_t>(15, command.name.size()), ' ')
        << command.summary << "\n";
  out << "\n`blocksim COMMAND --help` tells more. `blocksim --version` prints the version.\n";
}

// The command whose words start `args`, longest name first; sets `used` to its word count.
const Command* find_command(const std::vector<std::string>& args, std::size_t& used) {
  const Command* best = nullptr;
  std::size_t best_words = 0;
  for (const auto& command : blocksim::cli::commands()) {
    std::istringstream words(command.name);
    std::string word;
    std::size_t n = 0;
    bool match = true;
    while (words >> word) {
      if (n >= args.size() || args[n] != word) {
        match = false;
        break;
      }
      ++n;
    }
    if (match && n > best_words) {
      best = &command;
      best_words = n;
    }
  }
  used = best_words;
  return best;
}

// "trace", "profile": the first word of commands of two words. Lists them on `out`; false when
// `word` starts no command.
bool print_group(const std::string& word, std::ostream& out) {
  std::vector<const Command*> members;
  for (const auto& command : blocksim::cli::commands())
    if (command.name.rfind(word + " ", 0) == 0)
      members.push_back(&command);
  if (members.empty())
    return false;
  out << "usage: blocksim " << word << " SUBCOMMAND [ARGS...]\n\nsubcommands:\n";
  for (const Command* command : members)
    out << "  " << command->name << std::string(24 - std::min<std::size_t>(23, command->name.size()), ' ')
        << command->summary << "\n";
  out << "\n`blocksim " << word << " SUBCOMMAND --help` tells more.\n";
  return true;
}

bool wants_help(const std::vector<std::string>& args) {
  for (const auto& arg : args)
    if (arg == "--help" || arg == "-h")
      return true;
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_overview(std::cout);
    return args.empty() ? blocksim::cli::kExitBadInput : blocksim::cli::kExitOk;
  }
  if (args[0] == "--version") {
    std::cout << "blocksim " << BLOCKSIM_VERSION << "\n";
    return blocksim::cli::kExitOk;
  }
  std::size_t used = 0;
  const Command* command = find_command(args, used);
  if (command == nullptr) {
    std::ostringstream group;
    if (print_group(args[0], group)) {
      if (wants_help(args)) {
        std::cout << group.str();
        return blocksim::cli::kExitOk;
      }
      if (args.size() > 1)
        std::cerr << "blocksim: unknown command \"" << args[0] << " " << args[1] << "\"\n\n";
      std::cerr << group.str();
      return blocksim::cli::kExitBadInput;
    }
  }
  if (command == nullptr) {
    std::cerr << "blocksim: unknown command \"" << args[0] << "\"\n\n";
    print_overview(std::cerr);
    return blocksim::cli::kExitBadInput;
  }
  std::vector<std::string> rest(args.begin() + static_cast<std::ptrdiff_t>(used), args.end());
  if (wants_help(rest)) {
    std::cout << command->usage;
    return blocksim::cli::kExitOk;
  }
  try {
    return command->main(rest);
  } catch (const blocksim::cli::UsageError& e) {
    std::cerr << "blocksim " << command->name << ": " << e.what() << "\n\n" << command->usage;
    return blocksim::cli::kExitBadInput;
  } catch (const blocksim::ScenarioError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return blocksim::cli::kExitBadInput;
  } catch (const blocksim::TraceFormatError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return blocksim::cli::kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "blocksim " << command->name << ": " << e.what() << "\n";
    return blocksim::cli::kExitFailed;
  }
}
