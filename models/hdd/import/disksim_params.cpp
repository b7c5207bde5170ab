#include "models/hdd/import/disksim_params.hpp"

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>

namespace blocksim::disksim {

namespace {
// "file:line: what", built piece by piece: GCC 12 at -O3 warns falsely (-Wrestrict) on
// ":" + std::to_string(line) inside a longer concatenation.
std::string located(const std::string& file, int line, const std::string& what) {
  std::string text = file;
  if (line > 0) {
    text += ':';
    text += std::to_string(line);
  }
  text += ": ";
  text += what;
  return text;
}
}  // namespace

ParamError::ParamError(const std::string& file, int line, const std::string& what)
    : std::runtime_error(located(file, line, what)) {}

double ParamValue::number() const {
  if (kind != Kind::kScalar)
    throw ParamError(file, line, "expected a number");
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end == nullptr || *end != '\0')
    throw ParamError(file, line, "expected a number, got \"" + text + "\"");
  return value;
}

long ParamValue::integer() const { return static_cast<long>(number()); }

const Param* ParamBlock::find(const std::string& wanted) const {
  for (const auto& p : params)
    if (p.name == wanted)
      return &p;
  return nullptr;
}

const ParamBlock* ParamSet::block(const std::string& wanted) const {
  for (const auto& b : blocks)
    if (b->name == wanted)
      return b.get();
  return nullptr;
}

namespace {

std::string read_text(const std::string& path, const std::string& from, int line) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw ParamError(from.empty() ? path : from, line, "cannot read \"" + path + "\"");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// How deep blocks, lists and topologies may nest, and how long a chain of "source" may be. Real
// DiskSim files nest three or four deep; the limits stop a hostile file before the stack does.
constexpr int kMaxNesting = 64;
constexpr int kMaxSourceChain = 16;
// How many files one import may read, counting a file each time it is sourced: files that source
// the next one many times over would otherwise multiply without end.
constexpr std::size_t kMaxFilesRead = 256;

// True when both names reach the same file; a name that cannot be resolved is compared as written.
bool same_file(const std::string& a, const std::string& b) {
  std::error_code error;
  if (std::filesystem::equivalent(a, b, error))
    return true;
  return std::filesystem::path(a).lexically_normal() == std::filesystem::path(b).lexically_normal();
}

class Reader {
 public:
  Reader(const std::string& path, ParamSet& set, const Reader* sourced_by = nullptr)
      : file_(path), set_(set), sourced_by_(sourced_by) {
    folder_ = std::filesystem::path(path).parent_path().string();
  }

  // Reads the whole file at top level; returns the first named block it defined.
  std::shared_ptr<ParamBlock> read_file(const std::string& from, int from_line) {
    text_ = read_text(file_, from, from_line);
    set_.files.push_back(file_);
    std::shared_ptr<ParamBlock> first;
    while (true) {
      skip_space();
      if (eof())
        break;
      const int line = line_;
      const std::string w = word();
      if (w.empty())
        fail("unexpected \"" + std::string(1, text_[pos_]) + "\"");
      if (w == "source") {
        include(word(), line);
      } else if (w == "instantiate") {
        instantiate();
      } else if (w == "topology") {
        set_.topology.push_back(topology_node());
      } else {
        auto block = std::make_shared<ParamBlock>();
        block->type = w;
        block->name = word();
        block->file = file_;
        block->line = line;
        expect('{');
        body(*block);
        set_.blocks.push_back(block);
        if (!first)
          first = block;
      }
    }
    return first;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const { throw ParamError(file_, line_, what); }
  bool eof() const { return pos_ >= text_.size(); }
  char peek() const { return eof() ? '\0' : text_[pos_]; }

  void skip_space() {
    while (!eof()) {
      const char c = text_[pos_];
      if (c == '#') {
        while (!eof() && text_[pos_] != '\n')
          ++pos_;
      } else if (std::isspace(static_cast<unsigned char>(c))) {
        if (c == '\n')
          ++line_;
        ++pos_;
      } else {
        break;
      }
    }
  }

  static bool delimiter(char c) {
    return std::isspace(static_cast<unsigned char>(c)) || c == ',' || c == '{' || c == '}' || c == '[' || c == ']' ||
           c == '=' || c == '#';
  }

  std::string word() {
    skip_space();
    const std::size_t start = pos_;
    while (!eof() && !delimiter(text_[pos_]))
      ++pos_;
    return text_.substr(start, pos_ - start);
  }

  void expect(char c) {
    skip_space();
    if (peek() != c)
      fail(std::string("expected \"") + c + "\"" + (eof() ? " before the end of the file" : ""));
    ++pos_;
  }

  // A parameter's name: everything up to "=", blanks collapsed.
  std::string param_name() {
    skip_space();
    std::string name;
    bool blank = false;
    while (!eof() && text_[pos_] != '=') {
      const char c = text_[pos_];
      if (c == '}' || c == '{' || c == '[' || c == ']')
        fail("expected \"name = value\"");
      if (c == '\n')
        ++line_;
      if (std::isspace(static_cast<unsigned char>(c))) {
        blank = !name.empty();
      } else {
        if (blank)
          name += ' ';
        blank = false;
        name += c;
      }
      ++pos_;
    }
    if (eof())
      fail("expected \"=\" after \"" + name + "\"");
    ++pos_;
    return name;
  }

  // One step through a bracketed list: skips the commas between items; false once `close` is
  // read, true when an item starts.
  bool next_item(char close, const std::string& unclosed) {
    while (true) {
      skip_space();
      if (eof())
        fail(unclosed);
      if (peek() == close) {
        ++pos_;
        return false;
      }
      if (peek() != ',')
        return true;
      ++pos_;
    }
  }

  // Counts one level of nesting for as long as it lives.
  class Nested {
   public:
    explicit Nested(Reader& reader) : reader_(reader) {
      if (++reader_.nesting_ > kMaxNesting)
        reader_.fail("blocks, lists or topologies nest more than " + std::to_string(kMaxNesting) + " deep");
    }
    ~Nested() { --reader_.nesting_; }
    Nested(const Nested&) = delete;
    Nested& operator=(const Nested&) = delete;

   private:
    Reader& reader_;
  };

  void body(ParamBlock& block) {
    const Nested nested(*this);
    while (next_item('}', "block \"" + block.type + "\" is not closed")) {
      Param p;
      p.name = param_name();
      p.value = value();
      block.params.push_back(std::move(p));
    }
  }

  ParamValue value() {
    skip_space();
    ParamValue v;
    v.file = file_;
    v.line = line_;
    if (peek() == '[') {
      const Nested nested(*this);
      ++pos_;
      v.kind = ParamValue::Kind::kList;
      while (next_item(']', "list is not closed"))
        v.list.push_back(value());
      return v;
    }
    const std::string w = word();
    if (w.empty())
      fail("expected a value");
    if (w == "source") {
      v.kind = ParamValue::Kind::kBlock;
      const int line = line_;
      v.block = include(word(), line);
      if (!v.block)
        fail("the sourced file defines no block");
      return v;
    }
    skip_space();
    if (peek() == '{') {
      ++pos_;
      v.kind = ParamValue::Kind::kBlock;
      v.block = std::make_shared<ParamBlock>();
      v.block->type = w;
      v.block->file = file_;
      v.block->line = v.line;
      body(*v.block);
      return v;
    }
    v.text = w;
    return v;
  }

  std::shared_ptr<ParamBlock> include(const std::string& name, int line) {
    if (name.empty())
      fail("\"source\" needs a file name");
    const std::string path = folder_.empty() ? name : (std::filesystem::path(folder_) / name).string();
    int chain = 1;
    for (const Reader* r = this; r; r = r->sourced_by_, ++chain) {
      if (same_file(r->file_, path))
        fail("\"source " + name + "\" sources a file that is already being read: the files source one another in a loop");
    }
    if (chain > kMaxSourceChain)
      fail("\"source\" chains more than " + std::to_string(kMaxSourceChain) + " files deep");
    if (set_.files.size() >= kMaxFilesRead)
      fail("\"source " + name + "\" would read more than " + std::to_string(kMaxFilesRead) + " files in one import");
    Reader sub(path, set_, this);
    return sub.read_file(file_, line);
  }

  // instantiate [ a, b .. c ] as TYPE
  void instantiate() {
    expect('[');
    std::vector<std::string> names;
    while (next_item(']', "the instance list is not closed")) {
      const std::string w = word();
      if (w.empty())
        fail("bad instance list");
      if (w == ".." && !names.empty()) {
        const std::string last = word();
        expand_range(names, last);
      } else {
        names.push_back(w);
      }
    }
    if (word() != "as")
      fail("expected \"as\" after the instance list");
    const std::string type = word();
    for (const auto& n : names)
      set_.instances[n] = type;
  }

  // "disk0 .. disk3": the names between, by their numeric suffix.
  void expand_range(std::vector<std::string>& names, const std::string& last) {
    const std::string first = names.back();
    auto split = [](const std::string& s) {
      std::size_t i = s.size();
      while (i > 0 && std::isdigit(static_cast<unsigned char>(s[i - 1])))
        --i;
      return std::make_pair(s.substr(0, i), s.substr(i));
    };
    const auto [stem, from] = split(first);
    const auto [stem2, to] = split(last);
    if (stem != stem2 || from.empty() || to.empty())
      fail("bad instance range \"" + first + " .. " + last + "\"");
    for (long n = std::stol(from) + 1; n <= std::stol(to); ++n)
      names.push_back(stem + std::to_string(n));
  }

  TopologyNode topology_node() {
    const Nested nested(*this);
    TopologyNode node;
    node.type = word();
    node.name = word();
    expect('[');
    while (next_item(']', "topology is not closed"))
      node.children.push_back(topology_node());
    return node;
  }

  std::string file_;
  std::string folder_;
  ParamSet& set_;
  const Reader* sourced_by_;
  std::string text_;
  std::size_t pos_ = 0;
  int line_ = 1;
  int nesting_ = 0;
};

}  // namespace

ParamSet read_param_file(const std::string& path) {
  ParamSet set;
  Reader reader(path, set);
  reader.read_file("", 0);
  return set;
}

}  // namespace blocksim::disksim
