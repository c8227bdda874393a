// quiverd's composition root: read the configuration, wire the adapters to the
// HTTP interface, and run until SIGINT/SIGTERM.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>

#include "application/dataset_use_cases.h"
#include "application/deferred_dataset_store.h"
#include "application/health.h"
#include "application/read_rows.h"
#include "infrastructure/arrow/decoders.h"
#include "infrastructure/arrow/upload_decoder.h"
#include "infrastructure/config/config.h"
#include "infrastructure/crypto/hmac_cursor_codec.h"
#include "infrastructure/duckdb/database.h"
#include "infrastructure/duckdb/dataset_store.h"
#include "infrastructure/log/log.h"
#include "interfaces/http/handlers/dataset_handlers.h"
#include "interfaces/http/handlers/health_handlers.h"
#include "interfaces/http/handlers/read_handlers.h"
#include "interfaces/http/handlers/static_handlers.h"
#include "interfaces/http/http_server.h"

namespace {

using quiver::log::Fields;

int ThreadsOrCores(int threads) {
  if (threads > 0) return threads;
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

quiver::http::HttpServerOptions HttpOptionsFrom(const quiver::config::Config& config) {
  quiver::http::HttpServerOptions options;
  options.host = config.host;
  options.port = config.port;
  options.io_threads = ThreadsOrCores(config.threads);
  options.worker_threads = ThreadsOrCores(config.worker_threads);
  options.max_header_bytes = config.max_header_bytes;
  options.max_body_bytes = config.max_body_bytes;
  options.read_timeout = config.read_timeout;
  options.shutdown_grace = config.shutdown_grace;
  return options;
}

quiver::http::CompressionPolicy CompressionPolicyFrom(
    const quiver::config::Config& config) {
  if (config.http_compression == "always")
    return quiver::http::CompressionPolicy::kAlways;
  if (config.http_compression == "off") return quiver::http::CompressionPolicy::kOff;
  return quiver::http::CompressionPolicy::kAuto;
}

std::filesystem::path SpoolDir(const quiver::config::Config& config) {
  return std::filesystem::path(config.data_dir) / "tmp";
}

/// Opens storage off the main thread so /health answers while a big file opens.
arrow::Result<std::shared_ptr<quiver::duckdb_adapter::DuckDbDatasetStore>> OpenStorage(
    const quiver::config::Config& config) {
  std::error_code error;
  std::filesystem::create_directories(config.data_dir, error);
  if (error) {
    return arrow::Status::IOError("cannot create data dir ", config.data_dir, ": ",
                                  error.message());
  }
  quiver::arrow_adapter::RemoveStaleSpoolFiles(SpoolDir(config));
  quiver::duckdb_adapter::DatabaseOptions options;
  options.path = (std::filesystem::path(config.data_dir) / "quiver.duckdb").string();
  ARROW_ASSIGN_OR_RAISE(auto database, quiver::duckdb_adapter::Database::Open(options));
  ARROW_ASSIGN_OR_RAISE(
      auto store, quiver::duckdb_adapter::DuckDbDatasetStore::Open(std::move(database)));
  if (config.demo_rows > 0) {
    quiver::log::Info("demo_data", Fields().Add("rows", config.demo_rows));
    ARROW_RETURN_NOT_OK(store->EnsureDemoDataset(config.demo_rows));
  }
  return std::shared_ptr<quiver::duckdb_adapter::DuckDbDatasetStore>(std::move(store));
}

int Run(const quiver::config::Config& config) {
  std::error_code made;
  std::filesystem::create_directories(config.data_dir, made);
  auto cursor_key = quiver::crypto::HmacCursorCodec::LoadOrCreateKey(
      std::filesystem::path(config.data_dir) / "cursor.key");
  if (!cursor_key.ok()) {
    std::cerr << "quiverd: " << cursor_key.status().message() << "\n";
    return 1;
  }
  quiver::crypto::HmacCursorCodec cursors(*cursor_key);
  quiver::application::Health health;
  quiver::application::DeferredDatasetStore store;
  quiver::arrow_adapter::ArrowUploadDecoder decoder(
      {SpoolDir(config), config.max_upload_memory_bytes});
  quiver::application::CreateDataset create(store);
  quiver::application::DescribeDatasets describe(store);
  quiver::application::DropDataset drop(store);
  quiver::application::IngestRows ingest(store, decoder);
  quiver::application::ReadRows read(store, store, cursors);

  quiver::http::Router router;
  quiver::http::AddHealthRoutes(router, health);
  quiver::http::Metrics metrics;
  quiver::http::ReadRegistry reads(metrics);
  quiver::http::AddDatasetRoutes(router, {create, describe, drop, ingest}, metrics);
  quiver::http::AddReadRoutes(router, read, reads,
                              {config.max_text_rows, CompressionPolicyFrom(config)});
  quiver::http::AddActivityRoutes(router, reads);
  if (!config.web_root.empty()) quiver::http::AddStaticRoutes(router, config.web_root);

  auto http_options = HttpOptionsFrom(config);
  http_options.metrics = &metrics;
  auto server =
      quiver::http::HttpServer::Make(std::move(http_options), std::move(router));
  if (!server.ok()) {
    std::cerr << "quiverd: " << server.status().message() << "\n";
    return 1;
  }
  auto& http_server = **server;
  http_server.OnShutdown([&health] { health.MarkShuttingDown(); });

  bool storage_opened = false;
  std::thread opener([&] {
    auto opened = OpenStorage(config);
    if (!opened.ok()) {
      quiver::log::Error("storage_failed",
                         Fields().Add("error", opened.status().ToString()));
      http_server.Stop();
      return;
    }
    store.Attach(*opened);
    storage_opened = true;
    health.MarkStorageReady();
    quiver::log::Info("storage_ready", Fields().Add("data_dir", config.data_dir));
  });

  quiver::log::Info("listening", Fields()
                                     .Add("host", config.host)
                                     .Add("port", static_cast<int>(http_server.port()))
                                     .Add("data_dir", config.data_dir)
                                     .Add("version", "0.1.0"));
  if (config.host != "127.0.0.1" && config.host != "::1") {
    quiver::log::Warn("exposed", Fields().Add("detail",
                                              "listening beyond loopback; put TLS and "
                                              "authentication in front of quiverd"));
  }
  if (!http_server.Run()) {
    // Requests still running after the grace period may be stuck in storage;
    // leave without waiting for them (DuckDB's WAL keeps committed work safe).
    quiver::log::Warn("exit_without_drain");
    std::_Exit(1);
  }
  opener.join();
  return storage_opened ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> arguments(argv + 1, argv + argc);
  auto loaded = quiver::config::Load(quiver::config::ProcessEnvironment(), arguments);
  if (!loaded.ok()) {
    std::cerr << "quiverd: " << loaded.status().message() << "\n";
    return 2;
  }
  if (loaded->action == quiver::config::Action::kPrintHelp) {
    std::cout << quiver::config::HelpText();
    return 0;
  }
  auto logging = quiver::log::Init(loaded->config.log_level);
  if (!logging.ok()) {
    std::cerr << "quiverd: " << logging.message() << "\n";
    return 2;
  }
  return Run(loaded->config);
}
