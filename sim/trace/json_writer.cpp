#include "sim/trace/json_writer.hpp"

#include <cmath>
#include <cstdio>

namespace blocksim {

std::string JsonWriter::quoted(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += escaped;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

void JsonWriter::start_value(const std::string& key) {
  if (!has_items_.empty()) {
    if (has_items_.back())
      out_ << ",";
    has_items_.back() = true;
    out_ << "\n" << std::string(2 * has_items_.size(), ' ');
  }
  if (!key.empty())
    out_ << quoted(key) << ": ";
}

void JsonWriter::begin_object(const std::string& key) {
  start_value(key);
  out_ << "{";
  has_items_.push_back(false);
}

void JsonWriter::begin_array(const std::string& key) {
  start_value(key);
  out_ << "[";
  has_items_.push_back(false);
}

void JsonWriter::close(char bracket) {
  const bool had_items = has_items_.back();
  has_items_.pop_back();
  if (had_items)
    out_ << "\n" << std::string(2 * has_items_.size(), ' ');
  out_ << bracket;
  if (has_items_.empty())
    out_ << "\n";
}

void JsonWriter::end_object() { close('}'); }
void JsonWriter::end_array() { close(']'); }

void JsonWriter::string(const std::string& key, const std::string& value) {
  start_value(key);
  out_ << quoted(value);
}

void JsonWriter::integer(const std::string& key, std::uint64_t value) {
  start_value(key);
  out_ << value;
}

void JsonWriter::number(const std::string& key, double value, int decimals) {
  start_value(key);
  if (!std::isfinite(value)) {
    out_ << "null";
    return;
  }
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", decimals, value);
  out_ << text;
}

}  // namespace blocksim
