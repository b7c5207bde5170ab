// A small streaming JSON writer for blocksim's machine-readable outputs (the JSON summary):
// objects, arrays, strings, integers and numbers with a fixed number of decimals, so the same run
// prints the same bytes. It keeps only the nesting and whether a comma is due; the caller owns the
// stream. Keys are written in the order given.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace blocksim {

class JsonWriter {
 public:
  explicit JsonWriter(std::ostream& out) : out_(out) {}

  // `key` only inside an object (empty at the top level and inside arrays).
  void begin_object(const std::string& key = "");
  void end_object();
  void begin_array(const std::string& key = "");
  void end_array();
  void string(const std::string& key, const std::string& value);
  void integer(const std::string& key, std::uint64_t value);
  // `decimals` after the point; non-finite values are written as null.
  void number(const std::string& key, double value, int decimals);

  static std::string quoted(const std::string& text);

 private:
  void start_value(const std::string& key);
  void close(char bracket);

  std::ostream& out_;
  std::vector<bool> has_items_;  // per open object or array: whether a comma is due
};

}  // namespace blocksim
