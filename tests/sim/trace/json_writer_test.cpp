// The JSON writer: nesting, commas, escapes and fixed decimals, checked against documents written
// out by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "sim/trace/json_writer.hpp"

namespace blocksim {
namespace {

TEST(JsonWriter, NestsWithCommasAndIndents) {
  std::ostringstream out;
  JsonWriter json(out);
  json.begin_object();
  json.integer("n", 3);
  json.begin_array("rows");
  json.begin_object();
  json.number("x", 1.23456, 3);
  json.end_object();
  json.string("", "two");
  json.end_array();
  json.begin_array("none");
  json.end_array();
  json.end_object();
  EXPECT_EQ(out.str(), "{\n  \"n\": 3,\n  \"rows\": [\n    {\n      \"x\": 1.235\n    },\n    \"two\"\n  ],\n"
                       "  \"none\": []\n}\n");
}

TEST(JsonWriter, EscapesStringsAndWritesNonFiniteAsNull) {
  EXPECT_EQ(JsonWriter::quoted("a\"b\\c\nd\x01"), "\"a\\\"b\\\\c\\nd\\u0001\"");
  std::ostringstream out;
  JsonWriter json(out);
  json.begin_array();
  json.number("", std::nan(""), 3);
  json.number("", -0.5, 0);
  json.end_array();
  EXPECT_EQ(out.str(), "[\n  null,\n  -0\n]\n");
}

}  // namespace
}  // namespace blocksim
