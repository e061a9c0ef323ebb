#pragma once

// Reviewing an overlay run's writes: read what changed, apply it to the real workspace, or discard it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/json.h"

namespace airlock::protocol {

// sandbox/applyChanges
struct ApplyChangesParams {
  std::string runId;
  std::optional<std::vector<std::string>> paths;  // relative paths; absent: every change of the run

  bool operator==(const ApplyChangesParams&) const = default;
};
void from_json(const json& value, ApplyChangesParams& params);
void to_json(json& value, const ApplyChangesParams& params);

// A change that could not be applied for a reason other than a conflict; the workspace entry is left as it was.
struct ApplyFailure {
  std::string path;
  std::string message;  // the failed call and its cause

  bool operator==(const ApplyFailure&) const = default;
};
void from_json(const json& value, ApplyFailure& failure);
void to_json(json& value, const ApplyFailure& failure);

struct ApplyChangesResult {
  std::vector<std::string> applied;
  std::vector<std::string> conflicts;  // host file changed since the run started; left untouched
  std::vector<ApplyFailure> failed;    // an Airlock addition; absent on the wire means empty

  bool operator==(const ApplyChangesResult&) const = default;
};
void from_json(const json& value, ApplyChangesResult& result);
void to_json(json& value, const ApplyChangesResult& result);

// sandbox/discardChanges (result null)
struct DiscardChangesParams {
  std::string runId;

  bool operator==(const DiscardChangesParams&) const = default;
};
void from_json(const json& value, DiscardChangesParams& params);
void to_json(json& value, const DiscardChangesParams& params);

// sandbox/readChangedFile: the run's version of one changed entry, for showing a diff before applying.
struct ReadChangedFileParams {
  std::string runId;
  std::string path;  // one of the run's changes, as listed in RunResult.changes

  bool operator==(const ReadChangedFileParams&) const = default;
};
void from_json(const json& value, ReadChangedFileParams& params);
void to_json(json& value, const ReadChangedFileParams& params);

struct ReadChangedFileResult {
  std::string path;
  std::string kind;                    // "added" | "modified" | "deleted"
  std::optional<std::string> type;     // "file" | "directory" | "symlink"; null for a deleted entry
  std::string encoding = "utf-8";      // of content: "utf-8", or "base64" when the bytes are not valid UTF-8
  std::optional<std::string> content;  // a file's bytes; null for deleted entries, folders and symlinks
  std::optional<std::int64_t> mode;    // permission bits of a file or folder, e.g. 420 (0644)
  std::optional<std::string> target;   // a symlink's target, never followed

  bool operator==(const ReadChangedFileResult&) const = default;
};
void from_json(const json& value, ReadChangedFileResult& result);
void to_json(json& value, const ReadChangedFileResult& result);

}  // namespace airlock::protocol
