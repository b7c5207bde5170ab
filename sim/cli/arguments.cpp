#include "sim/cli/arguments.hpp"

#include <charconv>

namespace blocksim::cli {

Arguments::Arguments(const std::vector<std::string>& args, const std::set<std::string>& with_value,
                     const std::set<std::string>& flags) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg.size() > 2 && arg.rfind("--", 0) == 0) {
      std::string name = arg;
      std::optional<std::string> inline_value;
      if (auto eq = arg.find('='); eq != std::string::npos) {
        name = arg.substr(0, eq);
        inline_value = arg.substr(eq + 1);
      }
      if (with_value.count(name)) {
        if (inline_value) {
          values_[name] = *inline_value;
        } else {
          if (i + 1 >= args.size())
            throw UsageError("option " + name + " needs a value");
          values_[name] = args[++i];
        }
      } else if (flags.count(name) && !inline_value) {
        values_[name] = "";
      } else {
        throw UsageError("unknown option " + name);
      }
    } else {
      positional_.push_back(arg);
    }
  }
}

std::optional<std::string> Arguments::value(const std::string& option) const {
  auto it = values_.find(option);
  if (it == values_.end())
    return std::nullopt;
  return it->second;
}

std::optional<std::uint64_t> Arguments::unsigned_value(const std::string& option) const {
  auto text = value(option);
  if (!text)
    return std::nullopt;
  std::uint64_t result = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), result);
  if (ec != std::errc() || end != text->data() + text->size())
    throw UsageError("option " + option + " needs a whole number, got \"" + *text + "\"");
  return result;
}

std::optional<double> Arguments::number_value(const std::string& option) const {
  auto text = value(option);
  if (!text)
    return std::nullopt;
  double result = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), result);
  if (ec != std::errc() || end != text->data() + text->size())
    throw UsageError("option " + option + " needs a number, got \"" + *text + "\"");
  return result;
}

}  // namespace blocksim::cli
