// sandbox/readChangedFile's content: text, bytes, symlinks, folders, deletions and the size cap.

#include <doctest/doctest.h>

#include <stdexcept>

#include "overlay_test_support.h"
#include "server/overlay/base64.h"
#include "server/overlay/changed_file.h"

namespace airlock::sandbox::testing {
namespace {

using server::overlay::read_changed_file;

TEST_CASE("overlay: base64 follows RFC 4648") {
  using server::overlay::base64_encode;
  CHECK(base64_encode("") == "");
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_encode("foo") == "Zm9v");
  CHECK(base64_encode("foob") == "Zm9vYg==");
  CHECK(base64_encode("fooba") == "Zm9vYmE=");
  CHECK(base64_encode("foobar") == "Zm9vYmFy");
  CHECK(base64_encode(std::string("\xff\x00\xfe", 3)) == "/wD+");
}

TEST_CASE("sandbox: the run's version of each changed entry can be read") {
  TempWorkspace workspace;
  workspace.write("gone.txt", "bye\n");
  auto run = run_in_overlay(workspace,
                            "printf 'héllo\\n' > text.txt && chmod 600 text.txt && printf '\\377\\376' > bytes.bin && "
                            "ln -s /etc/passwd link && mkdir folder && chmod 750 folder && rm gone.txt");
  REQUIRE(run.layer);
  const auto& layer = *run.layer;

  const auto text = read_changed_file(layer, *layer.find("text.txt"));
  CHECK(text.kind == "added");
  CHECK(text.type == "file");
  CHECK(text.encoding == "utf-8");
  CHECK(text.content == "héllo\n");
  CHECK(text.mode == 0600);

  const auto bytes = read_changed_file(layer, *layer.find("bytes.bin"));
  CHECK(bytes.encoding == "base64");
  CHECK(bytes.content == "//4=");

  const auto link = read_changed_file(layer, *layer.find("link"));
  CHECK(link.type == "symlink");
  CHECK(link.target == "/etc/passwd");
  CHECK_FALSE(link.content.has_value());

  const auto folder = read_changed_file(layer, *layer.find("folder"));
  CHECK(folder.type == "directory");
  CHECK(folder.mode == 0750);
  CHECK_FALSE(folder.content.has_value());

  const auto gone = read_changed_file(layer, *layer.find("gone.txt"));
  CHECK(gone.kind == "deleted");
  CHECK_FALSE(gone.type.has_value());
  CHECK_FALSE(gone.content.has_value());
}

TEST_CASE("sandbox: a changed file above the size cap is refused with its size") {
  TempWorkspace workspace;
  const auto cap = server::overlay::kMaxChangedFileBytes;
  auto run = run_in_overlay(workspace, "head -c " + std::to_string(cap + 1) + " /dev/zero > big.bin", 2 * cap);
  REQUIRE(run.layer);
  CHECK_THROWS_WITH_AS(read_changed_file(*run.layer, *run.layer->find("big.bin")),
                       ("big.bin has " + std::to_string(cap + 1) + " bytes; at most " + std::to_string(cap) +
                        " are returned").c_str(),
                       std::length_error);
}

}  // namespace
}  // namespace airlock::sandbox::testing
