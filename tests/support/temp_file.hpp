// Test support: a file with given contents in the temporary folder, removed with the object;
// optionally gzip-compressed, to read through the same path users' .gz traces take.
#pragma once

#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace blocksim::testing {

class TempFile {
 public:
  explicit TempFile(const std::string& contents, const std::string& suffix = ".trace", bool gzip = false) {
    static int counter = 0;
    path_ = "/tmp/blocksim-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + suffix;
    if (gzip) {
      gzFile file = gzopen(path_.c_str(), "wb");
      gzwrite(file, contents.data(), static_cast<unsigned>(contents.size()));
      gzclose(file);
    } else {
      std::ofstream(path_, std::ios::binary) << contents;
    }
  }
  ~TempFile() { std::remove(path_.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace blocksim::testing
