#include "models/hdd/import/profile_printer.hpp"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/text_format.h>

#include <sstream>
#include <vector>

namespace blocksim {

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::TextFormat;

constexpr std::size_t kWidth = 100;

std::string value_text(const Message& message, const FieldDescriptor* field, int index) {
  std::string text;
  TextFormat::PrintFieldValueToString(message, field, index, &text);
  return text;
}

std::vector<const FieldDescriptor*> set_fields(const Message& message) {
  std::vector<const FieldDescriptor*> fields;
  message.GetReflection()->ListFields(message, &fields);
  return fields;
}

// The message on one line, if it holds only plain values and fits.
bool one_line(const Message& message, std::string& line) {
  std::ostringstream out;
  const auto* reflection = message.GetReflection();
  for (const auto* field : set_fields(message)) {
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE)
      return false;
    const int count = field->is_repeated() ? reflection->FieldSize(message, field) : 1;
    for (int i = 0; i < count; ++i)
      out << field->name() << ": " << value_text(message, field, field->is_repeated() ? i : -1) << " ";
  }
  line = out.str();
  if (!line.empty())
    line.pop_back();
  return line.size() < kWidth;
}

void print(const Message& message, int indent, std::ostringstream& out) {
  const std::string pad(static_cast<std::size_t>(indent), ' ');
  const auto* reflection = message.GetReflection();
  for (const auto* field : set_fields(message)) {
    const bool repeated = field->is_repeated();
    const int count = repeated ? reflection->FieldSize(message, field) : 1;
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
      if (!repeated || count == 1 || field->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
        for (int i = 0; i < count; ++i)
          out << pad << field->name() << ": " << value_text(message, field, repeated ? i : -1) << "\n";
        continue;
      }
      std::string line = pad + field->name() + ": [";
      for (int i = 0; i < count; ++i) {
        const std::string item = value_text(message, field, i) + (i + 1 < count ? ", " : "]");
        if (line.size() + item.size() > kWidth) {
          while (!line.empty() && line.back() == ' ')
            line.pop_back();
          out << line << "\n";
          line = pad + "  ";
        }
        line += item;
      }
      out << line << "\n";
      continue;
    }
    for (int i = 0; i < count; ++i) {
      const Message& sub = repeated ? reflection->GetRepeatedMessage(message, field, i)
                                    : reflection->GetMessage(message, field);
      std::string line;
      if (one_line(sub, line) && pad.size() + field->name().size() + line.size() + 6 < kWidth) {
        out << pad << field->name() << " { " << line << " }\n";
      } else {
        out << pad << field->name() << " {\n";
        print(sub, indent + 2, out);
        out << pad << "}\n";
      }
    }
  }
}

}  // namespace

std::string print_profile(const Message& message) {
  std::ostringstream out;
  print(message, 0, out);
  return out.str();
}

}  // namespace blocksim
