#include "interfaces/http/random_id.h"

#include <cstdint>
#include <random>

namespace quiver::http {

std::string NewRandomId() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  static constexpr char kDigits[] = "0123456789abcdef";
  uint64_t value = generator();
  std::string id(16, '0');
  for (auto& character : id) {
    character = kDigits[value & 0xF];
    value >>= 4;
  }
  return id;
}

}  // namespace quiver::http
