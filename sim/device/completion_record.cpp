#include "sim/device/completion_record.hpp"

namespace blocksim {

const char* op_name(Op op) {
  switch (op) {
    case Op::kRead: return "read";
    case Op::kWrite: return "write";
    case Op::kFlush: return "flush";
    case Op::kUnmap: return "unmap";
    case Op::kEject: return "eject";
    case Op::kFormat: return "format";
  }
  return "?";
}

const char* layer_name(Layer layer) {
  switch (layer) {
    case Layer::kDevice: return "device";
    case Layer::kDriver: return "driver";
    case Layer::kMedia: return "media";
    case Layer::kAio: return "aio";
  }
  return "?";
}

}  // namespace blocksim
