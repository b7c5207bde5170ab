// Where the tests find real data. What may be redistributed ships in the project's data/ folder
// (with its licences, data/README.md): `project_data()`. What may not (data/README.md, "Left
// out") is read from ../shared/data beside the project when it is there: `outside_data()`, used
// through BLOCKSIM_REQUIRE_OUTSIDE_DATA, which skips the test with a printed reason when the file
// is absent, or fails it when the environment says the data must be there
// (BLOCKSIM_REQUIRE_SHARED=1, set by .ci/run when ../shared/data exists), so CI never skips
// silently. tests/python/conftest.py's outside_data fixture does the same for the Python tests.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace blocksim::test {

inline std::string project_data(const std::string& relative) {
  return std::string(BLOCKSIM_SOURCE_DIR) + "/data/" + relative;
}

inline std::string outside_data(const std::string& relative) {
  return std::string(BLOCKSIM_SOURCE_DIR) + "/../shared/data/" + relative;
}

inline bool outside_data_required() {
  const char* value = std::getenv("BLOCKSIM_REQUIRE_SHARED");
  return value != nullptr && std::string(value) == "1";
}

}  // namespace blocksim::test

// Skips (or, under BLOCKSIM_REQUIRE_SHARED=1, fails) the calling test when the outside file
// `relative` is absent. A macro because GTEST_SKIP and FAIL return from the test body.
#define BLOCKSIM_REQUIRE_OUTSIDE_DATA(relative)                                                          \
  do {                                                                                                   \
    const std::string blocksim_outside_path = ::blocksim::test::outside_data(relative);                  \
    if (!std::filesystem::exists(blocksim_outside_path)) {                                               \
      if (::blocksim::test::outside_data_required())                                                     \
        FAIL() << blocksim_outside_path << " is missing and BLOCKSIM_REQUIRE_SHARED=1";                  \
      GTEST_SKIP() << blocksim_outside_path                                                              \
                   << " is not here (not licensed for redistribution, see data/README.md)";              \
    }                                                                                                    \
  } while (0)
