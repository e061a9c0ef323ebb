#include <doctest/doctest.h>

#include "server/diagnostics/ledger.h"

using namespace airlock::server::diagnostics;
using airlock::protocol::Diagnostic;
using airlock::protocol::PublishDiagnosticsParams;

namespace {

Diagnostic diagnostic(std::string message) {
  return Diagnostic{.source = "airlock", .message = std::move(message)};
}

PublishDiagnosticsParams publish(std::string uri, std::vector<Diagnostic> diagnostics) {
  return PublishDiagnosticsParams{.uri = std::move(uri), .diagnostics = std::move(diagnostics)};
}

using Publishes = std::vector<PublishDiagnosticsParams>;

}  // namespace

TEST_CASE("ledger: a later run of the same source replaces its diagnostics, a clean run clears them") {
  DiagnosticsLedger ledger;
  CHECK(ledger.replace("file:///w/notes.md", {{"file:///w/notes.md", {diagnostic("first")}}}) ==
        Publishes{publish("file:///w/notes.md", {diagnostic("first")})});

  CHECK(ledger.replace("file:///w/notes.md", {{"file:///w/lib.py", {diagnostic("moved")}}}) ==
        Publishes{publish("file:///w/lib.py", {diagnostic("moved")}), publish("file:///w/notes.md", {})});

  CHECK(ledger.replace("file:///w/notes.md", {}) == Publishes{publish("file:///w/lib.py", {})});
  CHECK(ledger.replace("file:///w/notes.md", {}).empty());
}

TEST_CASE("ledger: sources that report on the same document do not erase each other") {
  DiagnosticsLedger ledger;
  ledger.replace("file:///w/a.py", {{"file:///w/lib.py", {diagnostic("from a")}}});
  CHECK(ledger.replace("file:///w/b.py", {{"file:///w/lib.py", {diagnostic("from b")}}}) ==
        Publishes{publish("file:///w/lib.py", {diagnostic("from a"), diagnostic("from b")})});
  CHECK(ledger.replace("file:///w/a.py", {}) == Publishes{publish("file:///w/lib.py", {diagnostic("from b")})});
}

TEST_CASE("ledger: an empty list in a run's result is nothing to show and nothing to clear later") {
  DiagnosticsLedger ledger;
  CHECK(ledger.replace("k", {{"file:///w/x.py", {}}}).empty());
  CHECK(ledger.replace("k", {}).empty());
}
