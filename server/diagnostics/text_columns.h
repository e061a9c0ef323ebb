#pragma once

// UTF-8 text as diagnostics need it: a tool's column on a source line turned into LSP's 0-based UTF-16
// offset, and untrusted text made fit for JSON. An invalid byte counts as one character (U+FFFD), as editors
// show it.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "server/diagnostics/finding.h"

namespace airlock::server::diagnostics {

struct DecodedCharacter {
  char32_t code_point = 0;
  std::size_t length = 1;  // bytes
};
DecodedCharacter decode_utf8(std::string_view text, std::size_t at);

// The byte offset of the first non-blank character (the line's length when it is blank).
std::size_t first_non_blank(std::string_view line);

// The byte offset where 1-based `column`, counted in `unit` from `origin`, starts on `line`; the line's
// length when the column lies past its end.
std::size_t byte_offset_of_column(std::string_view line, std::int64_t column, ColumnUnit unit, ColumnOrigin origin);

// The byte offset just past the character that starts at `at`.
std::size_t end_of_character(std::string_view line, std::size_t at);

// The byte offset where the token starting at `at` ends: a run of identifier characters (letters, digits,
// '_', '$', any non-ASCII character), else the single character at `at`.
std::size_t end_of_token(std::string_view line, std::size_t at);

// The UTF-16 length of line[0, byte_offset).
std::int64_t utf16_offset(std::string_view line, std::size_t byte_offset);

// `text` with every invalid byte replaced by U+FFFD, cut at a character boundary to at most `max_bytes`.
std::string to_valid_utf8(std::string_view text, std::size_t max_bytes);

}  // namespace airlock::server::diagnostics
