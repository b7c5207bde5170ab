#include "sim/scenario/schema_checks.hpp"

#include <cmath>
#include <sstream>

#include "blocksim/options.pb.h"
#include "sim/core/units.hpp"

namespace blocksim {

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

const char* base_unit_name(proto::Unit unit) {
  switch (unit) {
    case proto::DURATION: return " ns";
    case proto::BYTES: return " bytes";
    case proto::BANDWIDTH: return " B/s";
    case proto::RATE: return "/s";
    default: return "";
  }
}

units::ParseResult parse(proto::Unit unit, const std::string& text) {
  switch (unit) {
    case proto::DURATION: return units::parse_duration(text);
    case proto::BYTES: return units::parse_bytes(text);
    case proto::BANDWIDTH: return units::parse_bandwidth(text);
    case proto::RATE: return units::parse_rate(text);
    default: return {0.0, {}};
  }
}

std::string number(double value) {
  std::ostringstream out;
  out.precision(12);
  out << value;
  return out.str();
}

void check_bounds(double value, const FieldDescriptor* field, const std::string& shown, const SourceMap& source,
                  const FieldPath& path) {
  const auto& options = field->options();
  const proto::Unit unit = options.GetExtension(proto::unit);
  if (options.HasExtension(proto::min) && value < options.GetExtension(proto::min))
    throw source.error(path, "must be at least " + number(options.GetExtension(proto::min)) +
                                 base_unit_name(unit) + " (got " + shown + ")");
  if (options.HasExtension(proto::max) && value > options.GetExtension(proto::max))
    throw source.error(path, "must be at most " + number(options.GetExtension(proto::max)) +
                                 base_unit_name(unit) + " (got " + shown + ")");
}

double numeric_value(const Message& message, const Reflection* reflection, const FieldDescriptor* field, int index) {
  const bool repeated = field->is_repeated();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return repeated ? reflection->GetRepeatedInt32(message, field, index) : reflection->GetInt32(message, field);
    case FieldDescriptor::CPPTYPE_INT64:
      return static_cast<double>(repeated ? reflection->GetRepeatedInt64(message, field, index)
                                          : reflection->GetInt64(message, field));
    case FieldDescriptor::CPPTYPE_UINT32:
      return repeated ? reflection->GetRepeatedUInt32(message, field, index) : reflection->GetUInt32(message, field);
    case FieldDescriptor::CPPTYPE_UINT64:
      return static_cast<double>(repeated ? reflection->GetRepeatedUInt64(message, field, index)
                                          : reflection->GetUInt64(message, field));
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return repeated ? reflection->GetRepeatedDouble(message, field, index) : reflection->GetDouble(message, field);
    case FieldDescriptor::CPPTYPE_FLOAT:
      return repeated ? reflection->GetRepeatedFloat(message, field, index) : reflection->GetFloat(message, field);
    default: return 0;
  }
}

void check_value(const Message& message, const FieldDescriptor* field, int index, const SourceMap& source,
                 const FieldPath& path, bool check_required) {
  const Reflection* reflection = message.GetReflection();
  const bool repeated = field->is_repeated();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      const Message& nested =
          repeated ? reflection->GetRepeatedMessage(message, field, index) : reflection->GetMessage(message, field);
      check_schema(nested, source, path, check_required);
      return;
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      const proto::Unit unit = field->options().GetExtension(proto::unit);
      if (unit == proto::UNIT_NONE)
        return;
      const std::string text =
          repeated ? reflection->GetRepeatedString(message, field, index) : reflection->GetString(message, field);
      const auto parsed = parse(unit, text);
      if (!parsed.value)
        throw source.error(path, parsed.error);
      check_bounds(*parsed.value, field, "\"" + text + "\"", source, path);
      return;
    }
    case FieldDescriptor::CPPTYPE_BOOL:
    case FieldDescriptor::CPPTYPE_ENUM: return;
    default: {
      const double value = numeric_value(message, reflection, field, index);
      if (!std::isfinite(value))
        throw source.error(path, "must be a finite number");
      check_bounds(value, field, number(value), source, path);
      return;
    }
  }
}

}  // namespace

void check_schema(const Message& message, const SourceMap& source, const FieldPath& path, bool check_required) {
  const auto* descriptor = message.GetDescriptor();
  const Reflection* reflection = message.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    FieldPath field_path = path;
    if (field->is_repeated()) {
      const int size = reflection->FieldSize(message, field);
      if (size == 0 && check_required && field->options().GetExtension(proto::required))
        throw source.error(path, "needs at least one \"" + field->name() + "\"");
      for (int index = 0; index < size; ++index) {
        field_path.push_back({field->name(), index});
        check_value(message, field, index, source, field_path, check_required);
        field_path.pop_back();
      }
      continue;
    }
    field_path.push_back({field->name(), -1});
    if (reflection->HasField(message, field)) {
      check_value(message, field, -1, source, field_path, check_required);
    } else if (check_required && field->options().GetExtension(proto::required)) {
      throw source.error(path, "\"" + field->name() + "\" is required");
    } else if (field->has_default_value() && field->cpp_type() == FieldDescriptor::CPPTYPE_STRING &&
               field->options().GetExtension(proto::unit) != proto::UNIT_NONE) {
      // Defaults are part of the schema too; a bad one is a bug here, caught on first use.
      check_value(message, field, -1, source, field_path, false);
    }
  }
}

}  // namespace blocksim
