#include "interfaces/http/handlers/health_handlers.h"

#include <boost/json/object.hpp>

#include "interfaces/http/responses.h"

namespace quiver::http {

void AddHealthRoutes(Router& router, const application::Health& health) {
  router.Add(
      beast_http::verb::get, "/api/v1/health", [](Request&) -> arrow::Result<Reply> {
        return JsonReply(beast_http::status::ok, boost::json::object{{"status", "ok"}});
      });
  router.Add(beast_http::verb::get, "/api/v1/ready",
             [&health](Request& request) -> arrow::Result<Reply> {
               if (health.IsReady()) {
                 return JsonReply(beast_http::status::ok,
                                  boost::json::object{{"status", "ready"}});
               }
               Reply reply = ProblemReply(
                   beast_http::status::service_unavailable, "not-ready",
                   "storage is not open yet, or the server is stopping", request.path());
               reply.response.set(beast_http::field::retry_after, "1");
               return reply;
             });
}

}  // namespace quiver::http
