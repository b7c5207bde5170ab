// The reference device against queueing theory. Poisson arrivals into one server (queue depth 1)
// with exponential or fixed media time, plus the fixed DMA time of a 4 KiB transfer over a
// 4 GB/s bus (1024 ns), so the service time S is media + 1024 ns. The mean response time must be
// the Pollaczek-Khinchine value W = E[S] + lambda E[S^2] / (2 (1 - rho)), within 2 %, and by
// Little's law (with PASTA: Poisson arrivals see time averages) the mean number a request finds
// in the device on arrival must be lambda W, within 2 %.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>

#include "tests/support/recording_sink.hpp"

namespace blocksim {
namespace {

constexpr double kDmaNs = 4096.0 / 4e9 * 1e9;  // 1024 ns
constexpr double kMediaMeanNs = 10'000;
constexpr int kRequests = 400'000;

struct Queueing {
  double mean_response_ns;
  double mean_seen_on_arrival;
  double arrival_rate_per_ns;
};

Queueing run(const std::string& service, double rho, double mean_service_ns) {
  const double arrivals_per_second = rho / (mean_service_ns * 1e-9);
  const std::string text = R"(
    seed: 11
    bus { name: "bus" bandwidth: "4GB/s" }
    device { capacity: "1GiB" block_size: "4KiB"
             reference { queue_depth: 1 media_servers: 1 service { )" + service + R"( } } }
    workload { job { block_size: "4KiB" poisson { rate: ")" + std::to_string(arrivals_per_second) + R"(/s" }
                     requests: )" + std::to_string(kRequests) + R"( } })";
  const auto records = testing::run_and_record(text);
  EXPECT_EQ(records.size(), static_cast<std::size_t>(kRequests));
  double response = 0, seen = 0;
  SimTime first = records.front().submit, last = 0;
  for (const auto& r : records) {
    response += static_cast<double>(r.complete - r.submit);
    seen += r.queue_depth;
    first = std::min(first, r.submit);
    last = std::max(last, r.submit);
  }
  const double n = static_cast<double>(records.size());
  return {response / n, seen / n, (n - 1) / static_cast<double>(last - first)};
}

// Pollaczek-Khinchine mean response time of M/G/1.
double pk_response(double lambda_per_ns, double es, double es2) {
  const double rho = lambda_per_ns * es;
  return es + lambda_per_ns * es2 / (2 * (1 - rho));
}

void check_exponential(double rho) {
  const double m = kMediaMeanNs, c = kDmaNs;
  const double es = m + c, es2 = 2 * m * m + 2 * m * c + c * c;  // E[(X + c)^2], X ~ Exp(mean m)
  const Queueing q = run("exponential: \"10us\"", rho, es);
  const double lambda = rho / es;
  const double expected = pk_response(lambda, es, es2);
  std::printf("M/M/1-like rho %.1f: W %.1f ns, P-K %.1f ns (%+.2f %%); L seen %.4f, lambda W %.4f\n", rho,
              q.mean_response_ns, expected, 100 * (q.mean_response_ns / expected - 1), q.mean_seen_on_arrival,
              q.arrival_rate_per_ns * q.mean_response_ns);
  EXPECT_NEAR(q.mean_response_ns / expected, 1.0, 0.02) << "M/M/1-like, rho " << rho << ": simulated "
                                                          << q.mean_response_ns << " ns, P-K " << expected << " ns";
  EXPECT_NEAR(q.mean_seen_on_arrival / (q.arrival_rate_per_ns * q.mean_response_ns), 1.0, 0.02)
      << "Little's law, rho " << rho;
}

void check_fixed(double rho) {
  const double d = kMediaMeanNs + kDmaNs;
  const Queueing q = run("fixed: \"10us\"", rho, d);
  const double lambda = rho / d;
  const double expected = pk_response(lambda, d, d * d);
  std::printf("M/D/1 rho %.1f: W %.1f ns, P-K %.1f ns (%+.2f %%); L seen %.4f, lambda W %.4f\n", rho,
              q.mean_response_ns, expected, 100 * (q.mean_response_ns / expected - 1), q.mean_seen_on_arrival,
              q.arrival_rate_per_ns * q.mean_response_ns);
  EXPECT_NEAR(q.mean_response_ns / expected, 1.0, 0.02) << "M/D/1, rho " << rho << ": simulated "
                                                          << q.mean_response_ns << " ns, P-K " << expected << " ns";
  EXPECT_NEAR(q.mean_seen_on_arrival / (q.arrival_rate_per_ns * q.mean_response_ns), 1.0, 0.02)
      << "Little's law, rho " << rho;
}

TEST(ReferenceQueueing, MM1AtUtilisationHalf) { check_exponential(0.5); }
TEST(ReferenceQueueing, MM1AtUtilisationEightTenths) { check_exponential(0.8); }
TEST(ReferenceQueueing, MD1AtUtilisationHalf) { check_fixed(0.5); }
TEST(ReferenceQueueing, MD1AtUtilisationEightTenths) { check_fixed(0.8); }

// With fixed service and no waiting (arrivals far apart), every response is exactly media + DMA.
TEST(ReferenceQueueing, LoneRequestTakesMediaPlusTransfer) {
  const auto records = testing::run_and_record(R"(
    bus { name: "bus" bandwidth: "4GB/s" }
    device { capacity: "1GiB" block_size: "4KiB" reference { queue_depth: 1 service { fixed: "10us" } } }
    workload { job { block_size: "4KiB" fixed { interval: "1ms" } requests: 50 } })");
  ASSERT_EQ(records.size(), 50u);
  for (const auto& r : records) {
    EXPECT_EQ(r.complete - r.submit, 11'024);
    EXPECT_EQ(r.dispatch, r.submit);
    EXPECT_EQ(r.queue_depth, 0u);
  }
}

}  // namespace
}  // namespace blocksim
