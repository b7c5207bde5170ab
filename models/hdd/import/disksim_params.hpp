// Reads DiskSim's parameter files (the libparam format of .parv, .diskspecs and .model files):
// blocks `TYPE NAME { Name = value, ... }` whose values are numbers, words, nested blocks
// `TYPE { ... }`, lists `[ ... ]` and `source FILE` (the block that file defines); top-level
// `source FILE` lines include another file; `instantiate [ names ] as TYPE` and `topology`
// trees say which blocks make up the simulated system. Comments run from # to the line's end.
// Parameter names keep their spaces ("Segment size (in blks)"). Every value remembers its file
// and line, for messages. Bad syntax throws ParamError naming file and line.
#pragma once

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace blocksim::disksim {

class ParamError : public std::runtime_error {
 public:
  ParamError(const std::string& file, int line, const std::string& what);
};

struct ParamBlock;

struct ParamValue {
  enum class Kind { kScalar, kBlock, kList };
  Kind kind = Kind::kScalar;
  std::string text;                   // a scalar's text
  std::shared_ptr<ParamBlock> block;  // a block, or the block a `source` names
  std::vector<ParamValue> list;
  std::string file;
  int line = 0;

  double number() const;  // throws ParamError when not a number
  long integer() const;
};

struct Param {
  std::string name;
  ParamValue value;
};

struct ParamBlock {
  std::string type;  // "disksim_disk", "dm_layout_g1_zone"
  std::string name;  // empty for nested blocks
  std::vector<Param> params;
  std::string file;
  int line = 0;

  const Param* find(const std::string& name) const;
};

// One node of a `topology` tree: `TYPE NAME [ children ]`.
struct TopologyNode {
  std::string type, name;
  std::vector<TopologyNode> children;
};

struct ParamSet {
  std::vector<std::shared_ptr<ParamBlock>> blocks;  // named top-level blocks, in reading order
  std::map<std::string, std::string> instances;     // instance name -> block name
  std::vector<TopologyNode> topology;
  std::vector<std::string> files;                   // every file read, the first one first

  const ParamBlock* block(const std::string& name) const;
};

// Reads `path` and every file it sources (relative to the including file's folder).
ParamSet read_param_file(const std::string& path);

}  // namespace blocksim::disksim
