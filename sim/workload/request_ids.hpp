// The run's request ids now live in sim/core/request_ids.hpp (the stack hands them out too).
#pragma once

#include "sim/core/request_ids.hpp"
