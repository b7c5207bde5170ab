// Test support: a small hard disk whose timings are easy to work out by hand. 6000 rpm (a 10 ms
// revolution), 10000 cylinders of 2 surfaces of 100 sectors (0.1 ms each), track skew 10 and
// cylinder skew 20 sectors, head switch 0.5 ms, seek 1 ms + 0.001 ms per cylinder beyond the
// first (full stroke 10.998 ms), every command overhead 0.1 ms, a 100 MB/s bus, four 256-sector
// segments reading up to 128 sectors ahead, write-back. The extras go inside the drive's
// controller { } and cache { }.
#pragma once

#include <string>

namespace blocksim::testing {

inline std::string hdd_test_device(const std::string& controller = "", const std::string& cache = "",
                                   const std::string& name = "d") {
  return R"(device { name: ")" + name + R"(" capacity: "1024000000" interface_rate: "100MB/s" hdd {
      mechanics {
        rpm: 6000
        seek { table { point { cylinders: 1 time: "1ms" } point { cylinders: 9999 time: "10.998ms" } } }
        head_switch: "0.5ms"
      }
      layout { surfaces: 2 zone { first_cylinder: 0 last_cylinder: 9999 sectors_per_track: 100
                                  track_skew: 10 cylinder_skew: 20 } }
      controller { )" + controller + R"(
        overheads {
          read_hit_after_read: "0.1ms" read_hit_after_write: "0.1ms" read_miss_after_read: "0.1ms"
          read_miss_after_write: "0.1ms" write_hit_after_read: "0.1ms" write_hit_after_write: "0.1ms"
          write_miss_after_read: "0.1ms" write_miss_after_write: "0.1ms" } }
      cache { segments: 4 segment_sectors: 256 write_segments: 2 read_ahead: TO_SEGMENT_FULL
              max_read_ahead: 128 almost_read_hits: true write_policy: WRITE_BACK )" + cache + R"( }
  } }
)";
}

}  // namespace blocksim::testing
