// Prints a message in protobuf text format for people to read: a sub-message holding only plain
// values fits on one line (`point { cylinders: 1 time: "1.178ms" }`), repeated plain values go
// in lists (`slip: [12, 40, 99]`) wrapped at about a hundred columns. The text reads back into
// the same message.
#pragma once

#include <string>

#include <google/protobuf/message.h>

namespace blocksim {

std::string print_profile(const google::protobuf::Message& message);

}  // namespace blocksim
