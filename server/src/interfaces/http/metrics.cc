#include "interfaces/http/metrics.h"

#include <sys/resource.h>
#include <unistd.h>

#include <array>
#include <charconv>
#include <fstream>
#include <sstream>

namespace quiver::http {
namespace {

void Header(std::ostringstream& out, std::string_view name, std::string_view type,
            std::string_view help) {
  out << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n";
}

/// Resident memory from /proc/self/statm (pages), 0 when unreadable.
int64_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  int64_t size = 0;
  int64_t resident = 0;
  if (!(statm >> size >> resident)) return 0;
  return resident * static_cast<int64_t>(::sysconf(_SC_PAGESIZE));
}

double CpuSeconds() {
  rusage usage{};
  if (::getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  auto seconds = [](const timeval& time) {
    return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

/// The shortest text that reads back as `value` (Prometheus takes Go floats).
std::string Number(double value) {
  std::array<char, 32> text{};
  auto [end, error] = std::to_chars(text.data(), text.data() + text.size(), value);
  return std::string(text.data(), end);
}

}  // namespace

void Metrics::CountRequest(std::string_view method, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{std::string(method), status}];
  for (std::size_t index = 0; index < kDurationBuckets.size(); ++index) {
    if (seconds <= kDurationBuckets[index]) ++duration_counts_[index];
  }
  ++duration_count_;
  duration_sum_ += seconds;
}

void Metrics::ReadStarted() { reads_active_.fetch_add(1); }

void Metrics::ReadEnded(ReadOutcome outcome) {
  reads_active_.fetch_sub(1);
  switch (outcome) {
    case ReadOutcome::kDone:
      reads_done_.fetch_add(1);
      break;
    case ReadOutcome::kFailed:
      reads_failed_.fetch_add(1);
      break;
    case ReadOutcome::kCancelled:
      reads_cancelled_.fetch_add(1);
      break;
  }
}

void Metrics::CountReadProgress(int64_t rows, int64_t bytes) {
  read_rows_.fetch_add(static_cast<uint64_t>(rows));
  read_bytes_.fetch_add(static_cast<uint64_t>(bytes));
}

void Metrics::CountIngested(int64_t rows) {
  ingested_rows_.fetch_add(static_cast<uint64_t>(rows));
}

std::string Metrics::Render() const {
  std::ostringstream out;
  {
    std::lock_guard lock(mutex_);
    Header(out, "quiver_http_requests_total", "counter",
           "HTTP requests answered, by method and status.");
    for (const auto& [key, count] : requests_) {
      out << "quiver_http_requests_total{method=\"" << key.first << "\",status=\""
          << key.second << "\"} " << count << "\n";
    }
    Header(out, "quiver_http_request_duration_seconds", "histogram",
           "Time from a request's header to the end of its response.");
    for (std::size_t index = 0; index < kDurationBuckets.size(); ++index) {
      out << "quiver_http_request_duration_seconds_bucket{le=\""
          << Number(kDurationBuckets[index]) << "\"} " << duration_counts_[index] << "\n";
    }
    out << "quiver_http_request_duration_seconds_bucket{le=\"+Inf\"} " << duration_count_
        << "\nquiver_http_request_duration_seconds_sum " << Number(duration_sum_)
        << "\nquiver_http_request_duration_seconds_count " << duration_count_ << "\n";
  }
  Header(out, "quiver_reads_active", "gauge", "Streamed reads in flight.");
  out << "quiver_reads_active " << reads_active_.load() << "\n";
  Header(out, "quiver_reads_total", "counter",
         "Streamed reads ended: done, failed after the first byte, or cancelled (the "
         "client left or DELETE /api/v1/queries/{id}).");
  out << "quiver_reads_total{outcome=\"done\"} " << reads_done_.load() << "\n"
      << "quiver_reads_total{outcome=\"failed\"} " << reads_failed_.load() << "\n"
      << "quiver_reads_total{outcome=\"cancelled\"} " << reads_cancelled_.load() << "\n";
  Header(out, "quiver_read_rows_total", "counter", "Rows handed to clients' sockets.");
  out << "quiver_read_rows_total " << read_rows_.load() << "\n";
  Header(out, "quiver_read_bytes_total", "counter",
         "Response body bytes of streamed reads handed to clients' sockets.");
  out << "quiver_read_bytes_total " << read_bytes_.load() << "\n";
  Header(out, "quiver_ingested_rows_total", "counter", "Rows stored by uploads.");
  out << "quiver_ingested_rows_total " << ingested_rows_.load() << "\n";
  Header(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
  out << "process_resident_memory_bytes " << ResidentBytes() << "\n";
  Header(out, "process_cpu_seconds_total", "counter",
         "User and system CPU time spent in seconds.");
  out << "process_cpu_seconds_total " << Number(CpuSeconds()) << "\n";
  return std::move(out).str();
}

}  // namespace quiver::http
