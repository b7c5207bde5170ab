// The run's media objects by name, and the probing of whole media for partition tables, as
// IOKit's matching does on registerService: GPT first, then MBR (probe scores 4000 > 3000, so a
// disk with a protective MBR is claimed by GPT). A whole media is probed when it is published and
// again when a writer closes it with nothing stacked on it; only media the probe filter accepts
// are probed (the stack skips media whose devices carry no data: there is nothing to find).
// The registry owns the partition schemes it attaches and the scans it runs.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/media/io_media.hpp"
#include "sim/media/partition_scan.hpp"
#include "sim/media/partition_scheme.hpp"
#include "sim/media/stack_context.hpp"

namespace blocksim {

class MediaRegistry final : public MediaObserver {
 public:
  // `context` is what the stack's objects share; the registry puts itself in as the observer.
  explicit MediaRegistry(const StackContext& context);
  ~MediaRegistry() override;

  // The context every object of the stack should be built with.
  const StackContext& context() const { return context_; }
  void set_probe_filter(std::function<bool(const IOMedia&)> filter) { probe_filter_ = std::move(filter); }

  // The live media object of that name, or null.
  IOMedia* find(const std::string& name) const;
  // The partition scheme stacked on `whole` now, or null.
  IOPartitionScheme* scheme_on(const IOMedia* whole) const;
  std::size_t probes_in_flight() const;

  void media_published(IOMedia* media) override;
  void media_terminated(IOMedia* media) override;
  void media_reprobe(IOMedia* media) override;

 private:
  struct Probe {
    IOMedia* media = nullptr;
    std::unique_ptr<PartitionScan> scan;
    bool finished = false;
  };
  void probe(IOMedia* media);
  void run_scan(Probe& probe, std::unique_ptr<PartitionScan> scan, bool last);

  StackContext context_;
  std::function<bool(const IOMedia&)> probe_filter_;
  std::map<std::string, IOMedia*> by_name_;
  std::vector<std::unique_ptr<Probe>> probes_;
  std::vector<std::unique_ptr<PartitionScan>> finished_scans_;
  std::vector<std::unique_ptr<IOPartitionScheme>> schemes_;
};

}  // namespace blocksim
