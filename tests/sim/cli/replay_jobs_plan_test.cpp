// How `replay --jobs` shares a trace's devices out among processes: by work, counting a device's
// bytes as well as its requests, so that a part of few large requests is not given as many
// requests again as a part of small ones.
#include <gtest/gtest.h>

#include <sstream>

#include "sim/cli/replay_jobs.hpp"

namespace blocksim::cli {
namespace {

TraceSurvey survey_of(const std::vector<std::uint64_t>& requests, const std::vector<std::uint64_t>& bytes) {
  TraceSurvey survey;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    survey.devices.push_back("dev" + std::to_string(i));
    survey.requests += requests[i];
  }
  survey.device_requests = requests;
  survey.device_bytes = bytes;
  return survey;
}

ReplayJobsPlan plan_for(std::uint64_t jobs, const TraceSurvey& survey) {
  proto::Replay replay;
  replay.set_mapping(proto::Replay::EACH);
  std::ostringstream notes;
  return plan_replay_jobs(jobs, replay, "msr", &survey, notes);
}

TEST(ReplayJobsPlan, AWorkUnitIsARequestOrEightKibibytes) {
  EXPECT_EQ(replay_work(10, 10 * 8192), 20U);
  EXPECT_EQ(replay_work(1000, 1000 * 4096), 1500U);
  EXPECT_EQ(replay_work(1000, 1000 * 65536), 9000U);
  EXPECT_EQ(replay_work(0, 0), 1U);  // a device seen with no request still goes somewhere
}

TEST(ReplayJobsPlan, ADeviceOfLargeRequestsWeighsMoreThanItsCount) {
  // Three devices of 1,000 requests each: 64 KiB ones (work 9,000) and two of 4 KiB ones (1,500
  // each). By requests alone the large device would share its part with a small one (2,000
  // against 1,000); by work it goes alone (9,000 against 3,000).
  const TraceSurvey survey = survey_of({1000, 1000, 1000}, {1000 * 4096, 1000 * 65536, 1000 * 4096});
  const ReplayJobsPlan plan = plan_for(2, survey);
  ASSERT_EQ(plan.jobs, 2U);
  ASSERT_EQ(plan.part_of_device.size(), 3U);
  EXPECT_EQ(plan.part_of_device[1], 0U);
  EXPECT_EQ(plan.part_of_device[0], 1U);
  EXPECT_EQ(plan.part_of_device[2], 1U);
}

TEST(ReplayJobsPlan, EqualDevicesShareOutEvenlyAndNoMorePartsThanDevices) {
  const TraceSurvey survey = survey_of({500, 500, 500, 500}, {500 * 4096, 500 * 4096, 500 * 4096, 500 * 4096});
  const ReplayJobsPlan two = plan_for(2, survey);
  ASSERT_EQ(two.jobs, 2U);
  std::size_t in_first = 0;
  for (std::size_t part : two.part_of_device)
    in_first += part == 0 ? 1 : 0;
  EXPECT_EQ(in_first, 2U);
  EXPECT_EQ(plan_for(8, survey).jobs, 4U);
}

TEST(ReplayJobsPlan, ASurveyWithoutBytesFallsBackToRequests) {
  const TraceSurvey survey = survey_of({100, 300, 200}, {});
  const ReplayJobsPlan plan = plan_for(2, survey);
  EXPECT_EQ(plan.part_of_device[1], 0U);  // 300 alone against 100 + 200
  EXPECT_EQ(plan.part_of_device[0], 1U);
  EXPECT_EQ(plan.part_of_device[2], 1U);
}

}  // namespace
}  // namespace blocksim::cli
