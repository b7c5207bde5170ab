#include "sim/media/media_registry.hpp"

#include <algorithm>

namespace blocksim {

MediaRegistry::MediaRegistry(const StackContext& context) : context_(context) { context_.observer = this; }

MediaRegistry::~MediaRegistry() = default;

IOMedia* MediaRegistry::find(const std::string& name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

IOPartitionScheme* MediaRegistry::scheme_on(const IOMedia* whole) const {
  for (const auto& scheme : schemes_)
    if (!scheme->is_terminated() && &scheme->getProvider() == whole)
      return scheme.get();
  return nullptr;
}

std::size_t MediaRegistry::probes_in_flight() const {
  return static_cast<std::size_t>(
      std::count_if(probes_.begin(), probes_.end(), [](const auto& p) { return !p->finished; }));
}

void MediaRegistry::media_published(IOMedia* media) {
  by_name_[media->name()] = media;
  if (media->isWhole())
    probe(media);
}

void MediaRegistry::media_terminated(IOMedia* media) {
  auto it = by_name_.find(media->name());
  if (it != by_name_.end() && it->second == media)
    by_name_.erase(it);
}

void MediaRegistry::media_reprobe(IOMedia* media) {
  if (!media->isWhole())
    return;
  // From a timer: the writer is still inside its close().
  context_.engine->at(context_.engine->now(), [this, media] {
    if (!media->is_inactive() && media->stacked() == nullptr)
      probe(media);
  });
}

void MediaRegistry::probe(IOMedia* media) {
  if (probe_filter_ && !probe_filter_(*media))
    return;
  // Finished probes are dropped here, never from inside their own callbacks.
  probes_.erase(std::remove_if(probes_.begin(), probes_.end(), [](const auto& p) { return p->finished; }),
                probes_.end());
  finished_scans_.clear();
  probes_.push_back(std::make_unique<Probe>());
  Probe& p = *probes_.back();
  p.media = media;
  run_scan(p, std::make_unique<GptScan>(context_, *media), false);
}

void MediaRegistry::run_scan(Probe& probe, std::unique_ptr<PartitionScan> scan, bool last) {
  if (probe.scan)
    finished_scans_.push_back(std::move(probe.scan));
  probe.scan = std::move(scan);
  PartitionScan* current = probe.scan.get();
  current->start([this, &probe, current, last](bool found, const std::vector<PartitionInfo>& partitions) {
    IOMedia* media = probe.media;
    if (found && !media->is_inactive() && media->stacked() == nullptr) {
      schemes_.push_back(std::make_unique<IOPartitionScheme>(context_, *media, current->scheme_name(), partitions));
      probe.finished = true;
      return;
    }
    if (last || media->is_inactive()) {
      probe.finished = true;
      return;
    }
    run_scan(probe, std::make_unique<MbrScan>(context_, *media), true);
  });
}

}  // namespace blocksim
