// A fuzz input as a file the code under test opens by path, as it would a trace: an anonymous
// memory file (memfd) holding the bytes, named /proc/self/fd/N. Owns the descriptor and closes
// it when it goes.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>

class FuzzInputFile {
 public:
  FuzzInputFile(const std::uint8_t* data, std::size_t size) : fd_(::memfd_create("trace", 0)) {
    if (fd_ >= 0 && ::write(fd_, data, size) != static_cast<ssize_t>(size)) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~FuzzInputFile() {
    if (fd_ >= 0)
      ::close(fd_);
  }
  FuzzInputFile(const FuzzInputFile&) = delete;
  FuzzInputFile& operator=(const FuzzInputFile&) = delete;

  // False when the memory file could not be made or filled: the input is then skipped.
  bool ok() const { return fd_ >= 0; }
  std::string path() const { return "/proc/self/fd/" + std::to_string(fd_); }

 private:
  int fd_;
};
