// What the objects of the stack share: the engine, the run's request ids (pieces a layer splits
// off get ids of their own), the sink completions are recorded to, the observer told when media
// objects come and go, and the ledger every request passed down is entered in. All outlive the
// stack's objects.
#pragma once

#include "sim/device/completion_record.hpp"
#include "sim/core/engine.hpp"
#include "sim/core/request_ids.hpp"
#include "sim/device/request_ledger.hpp"

namespace blocksim {

class IOMedia;

// Told about media objects as the stack publishes and withdraws them (IOKit's registerService
// and terminate). The run's media registry implements it: it names media, probes whole media
// for partition schemes, and probes a media again when a writer closes it.
class MediaObserver {
 public:
  virtual ~MediaObserver() = default;
  virtual void media_published(IOMedia* media) = 0;
  virtual void media_terminated(IOMedia* media) = 0;
  // A writer has closed the media and nothing is stacked on it: probe it again.
  virtual void media_reprobe(IOMedia* media) = 0;
};

struct StackContext {
  Engine* engine = nullptr;
  RequestIds* ids = nullptr;
  CompletionSink* sink = nullptr;        // may be null
  MediaObserver* observer = nullptr;     // may be null
  RequestLedger* ledger = nullptr;       // the run's completion contract check; may be null
};

}  // namespace blocksim
