#include "models/hdd/import/block_fields.hpp"

#include <cstdlib>
#include <filesystem>

namespace blocksim::disksim {

BlockFields::BlockFields(const ParamBlock& block, ImportReport& report) : block_(block), report_(report) {}

BlockFields::~BlockFields() {
  if (!finished_)
    finish();
}

std::string BlockFields::where(const ParamValue& value) const {
  return std::filesystem::path(value.file).filename().string() + ":" + std::to_string(value.line);
}

std::string BlockFields::label(const std::string& name) const {
  const std::string block = block_.name.empty() ? block_.type : block_.type + " " + block_.name;
  const Param* p = block_.find(name);
  const std::string place = p ? where(p->value) + ": " : "";
  std::string shown;
  if (p && p->value.kind == ParamValue::Kind::kScalar)
    shown = " = " + p->value.text;
  return place + block + ": \"" + name + "\"" + shown;
}

const ParamValue* BlockFields::get(const std::string& name) {
  seen_.insert(name);
  const Param* p = block_.find(name);
  return p ? &p->value : nullptr;
}

double BlockFields::number(const std::string& name, double fallback) {
  const ParamValue* v = get(name);
  return v ? v->number() : fallback;
}

long BlockFields::integer(const std::string& name, long fallback) {
  const ParamValue* v = get(name);
  return v ? v->integer() : fallback;
}

std::string BlockFields::text(const std::string& name, const std::string& fallback) {
  const ParamValue* v = get(name);
  return v && v->kind == ParamValue::Kind::kScalar ? v->text : fallback;
}

const ParamValue& BlockFields::require(const std::string& name) {
  const ParamValue* v = get(name);
  if (!v)
    throw ParamError(block_.file, block_.line,
                     block_.type + " " + block_.name + ": missing required parameter \"" + name + "\"");
  return *v;
}

void BlockFields::no_effect(const std::string& name, const std::string& reason) {
  if (get(name))
    note(name, reason);
}

void BlockFields::unsupported_unless(const std::string& name, const std::string& harmless, const std::string& reason) {
  const ParamValue* v = get(name);
  if (!v)
    return;
  if (v->kind == ParamValue::Kind::kScalar) {
    char* end = nullptr;
    const double value = std::strtod(v->text.c_str(), &end);
    char* harmless_end = nullptr;
    const double harmless_value = std::strtod(harmless.c_str(), &harmless_end);
    const bool numeric = end && *end == '\0' && harmless_end && *harmless_end == '\0';
    if ((numeric && value == harmless_value) || (!numeric && v->text == harmless))
      return;
  }
  warn(name, reason);
}

void BlockFields::warn(const std::string& name, const std::string& what) {
  report_.warnings.push_back(label(name) + ": " + what);
}

void BlockFields::note(const std::string& name, const std::string& what) {
  report_.notes.push_back(label(name) + ": " + what);
}

void BlockFields::finish() {
  finished_ = true;
  for (const auto& p : block_.params)
    if (!seen_.count(p.name))
      warn(p.name, "unknown parameter, not imported");
}

}  // namespace blocksim::disksim
