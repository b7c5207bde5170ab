#include "sim/scenario/parse_hints.hpp"

#include <algorithm>

#include <google/protobuf/descriptor.h>

namespace blocksim {

namespace {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i)
    out += (i == 0 ? "\"" : i + 1 == names.size() ? " or \"" : ", \"") + names[i] + "\"";
  return out;
}

// Where the text leaves a block open: the line (1-based) and the name before its "{", or 0.
std::pair<int, std::string> open_block(const std::string& text) {
  std::vector<std::pair<int, std::string>> open;
  int line = 1;
  std::string last_word;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      ++line;
    } else if (c == '#') {
      while (i + 1 < text.size() && text[i + 1] != '\n')
        ++i;
    } else if (c == '"' || c == '\'') {
      for (++i; i < text.size() && text[i] != c && text[i] != '\n'; ++i)
        if (text[i] == '\\')
          ++i;
    } else if (c == '{' || c == '<') {
      open.emplace_back(line, last_word);
    } else if ((c == '}' || c == '>') && !open.empty()) {
      open.pop_back();
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t j = i;
      while (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_'))
        ++j;
      last_word = text.substr(i, j - i);
      i = j - 1;
    }
  }
  return open.empty() ? std::pair<int, std::string>{0, ""} : open.back();
}

}  // namespace

std::vector<std::string> closest_names(std::string_view name, const std::vector<std::string>& candidates) {
  const std::size_t limit = std::max<std::size_t>(2, name.size() / 3);
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const auto& candidate : candidates) {
    std::size_t distance = edit_distance(name, candidate);
    if (distance > limit && name.size() >= 3 &&
        (candidate.find(name) != std::string::npos || name.find(candidate) != std::string_view::npos))
      distance = limit;
    if (distance <= limit)
      scored.emplace_back(distance, candidate);
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> names;
  for (std::size_t i = 0; i < scored.size() && i < 3; ++i)
    names.push_back(scored[i].second);
  return names;
}

// protobuf's text parser says `Message type "T" has no field named "F".`: the type and the field.
static bool unknown_field(const std::string& message, std::string* type, std::string* field) {
  static const std::string type_mark = "Message type \"";
  static const std::string field_mark = "\" has no field named \"";
  const std::size_t type_at = message.find(type_mark);
  if (type_at == std::string::npos)
    return false;
  const std::size_t type_start = type_at + type_mark.size();
  const std::size_t field_at = message.find(field_mark, type_start);
  if (field_at == std::string::npos)
    return false;
  const std::size_t field_start = field_at + field_mark.size();
  const std::size_t field_end = message.find('"', field_start);
  if (field_end == std::string::npos)
    return false;
  *type = message.substr(type_start, field_at - type_start);
  *field = message.substr(field_start, field_end - field_start);
  return true;
}

std::string parse_error_with_hint(const std::string& text, const std::string& message) {
  std::string type_name, field_name;
  if (unknown_field(message, &type_name, &field_name)) {
    const auto* type = google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(type_name);
    if (type == nullptr)
      return message;
    std::vector<std::string> fields;
    for (int i = 0; i < type->field_count(); ++i)
      fields.push_back(type->field(i)->name());
    const auto close = closest_names(field_name, fields);
    if (!close.empty())
      return message + " Did you mean " + quoted_list(close) + "?";
    std::sort(fields.begin(), fields.end());
    return message + " Its fields: " + quoted_list(fields) + ".";
  }
  // protobuf names the token it found; at the end of the text there is none.
  const bool at_end = message.size() >= 5 && message.compare(message.size() - 5, 5, "got: ") == 0;
  if (at_end) {
    const auto [open_line, name] = open_block(text);
    if (open_line > 0)
      return "the file ends inside a block: \"" + name + " {\" opened at line " + std::to_string(open_line) +
             " is not closed (protobuf: " + message.substr(0, message.size() - 2) + " the end of the file)";
    return message + "the end of the file";
  }
  return message;
}

}  // namespace blocksim
