// The base of the traces written five whitespace-separated fields a line, "time device sector
// count direction", the device a number and sectors of 512 bytes: DiskSim's ascii input and
// MQSim's traces. It reads and checks the line and the fields the formats share; a format's
// reader reads the time and the direction, which each writes its own way.
#pragma once

#include <string>
#include <string_view>

#include "sim/replay/request_reader.hpp"

namespace blocksim {

class SectorLineReader : public TextRequestReader {
 public:
  bool next(TraceRequest* request) final;

 protected:
  // How the format names its fields in error messages.
  struct FieldNames {
    const char* layout;  // all five, for "expected 5 fields (...)"
    const char* sector;
    const char* count;
  };
  SectorLineReader(const std::string& path, FieldNames names) : TextRequestReader(path), names_(names) {}

  // Field 1 as the time; field 5 as the direction. Each fails (naming the field) on bad text.
  virtual SimTime parse_time(std::string_view field) const = 0;
  virtual Op parse_direction(std::string_view field) const = 0;
  // True: times stay as the trace gives them, not from the first request's.
  virtual bool times_from_zero() const { return false; }

 private:
  FieldNames names_;
};

}  // namespace blocksim
