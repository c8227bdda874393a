#include "interfaces/http/handlers/static_handlers.h"

#include <boost/url/pct_string_view.hpp>

#include <algorithm>
#include <array>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <system_error>
#include <utility>

#include "interfaces/http/responses.h"

namespace quiver::http {
namespace {

namespace fs = std::filesystem;

struct MediaType {
  std::string_view extension;
  std::string_view type;
};

constexpr std::array<MediaType, 14> kMediaTypes = {{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".map", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".woff", "font/woff"},
    {".txt", "text/plain; charset=utf-8"},
    {".wasm", "application/wasm"},
    {".yaml", "application/yaml"},
}};

std::string_view MediaTypeOf(const fs::path& file) {
  const std::string extension = file.extension().string();
  for (const auto& media : kMediaTypes) {
    if (media.extension == extension) return media.type;
  }
  return "application/octet-stream";
}

/// The path's segments, percent-decoded; nothing when a segment could leave the
/// root or is not a plain name ("..", ".", NUL, backslash, bad escapes).
std::optional<fs::path> RelativePath(std::string_view path) {
  fs::path relative;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    std::string_view raw = path.substr(start, end - start);
    start = end + 1;
    if (raw.empty()) continue;
    auto encoded = boost::urls::make_pct_string_view(raw);
    if (!encoded) return std::nullopt;
    std::string segment = encoded->decode();
    if (segment == "." || segment == ".." ||
        segment.find_first_of(std::string_view("\0\\/", 3)) != std::string::npos) {
      return std::nullopt;
    }
    relative /= segment;
  }
  return relative;
}

std::optional<std::string> ReadFile(const fs::path& file) {
  std::ifstream input(file, std::ios::binary);
  if (!input) return std::nullopt;
  std::ostringstream content;
  content << input.rdbuf();
  return std::move(content).str();
}

/// `candidate` when it is a regular file inside `root` once symlinks are resolved.
bool IsServable(const fs::path& root, const fs::path& candidate) {
  std::error_code error;
  fs::path resolved = fs::canonical(candidate, error);
  if (error || !fs::is_regular_file(resolved, error)) return false;
  auto [root_end, unused] =
      std::mismatch(root.begin(), root.end(), resolved.begin(), resolved.end());
  return root_end == root.end();
}

Reply FileReply(const fs::path& file, std::string content, bool immutable) {
  Reply reply;
  reply.response.result(beast_http::status::ok);
  reply.response.set(beast_http::field::content_type, MediaTypeOf(file));
  reply.response.set(beast_http::field::cache_control,
                     immutable ? "public, max-age=31536000, immutable" : "no-cache");
  reply.response.set("X-Content-Type-Options", "nosniff");
  reply.response.body() = std::move(content);
  return reply;
}

}  // namespace

void AddStaticRoutes(Router& router, const fs::path& root) {
  std::error_code error;
  fs::path canonical_root = fs::canonical(root, error);
  if (error) canonical_root = fs::absolute(root);
  router.SetFallback([canonical_root](Request& request) -> arrow::Result<Reply> {
    std::string_view path = request.path();
    auto relative = RelativePath(path);
    if (!relative) {
      return ProblemReply(beast_http::status::not_found, "not-found",
                          "no resource at this path", path);
    }
    fs::path file = canonical_root / *relative;
    if (!relative->empty() && IsServable(canonical_root, file)) {
      if (auto content = ReadFile(file)) {
        // Vite names its bundles by content hash under assets/: they never change.
        bool immutable = relative->begin()->string() == "assets";
        return FileReply(file, std::move(*content), immutable);
      }
    }
    // A path that names a file (has an extension) and is missing stays a 404; any
    // other path is a route of the app, which index.html handles.
    fs::path index = canonical_root / "index.html";
    if ((relative->empty() || !relative->has_extension()) &&
        IsServable(canonical_root, index)) {
      if (auto content = ReadFile(index)) return FileReply(index, *content, false);
    }
    return ProblemReply(beast_http::status::not_found, "not-found",
                        "no resource at this path", path);
  });
}

}  // namespace quiver::http
