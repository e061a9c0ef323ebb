#include <doctest/doctest.h>

#include "server/diagnostics/display_width.h"
#include "server/diagnostics/text_columns.h"

using namespace airlock::server::diagnostics;

namespace {

// "a😀数b": a (1 byte, 1 UTF-16 unit, 1 cell), 😀 (4, 2, 2), 数 (3, 1, 2), b.
constexpr std::string_view kMixed = "a\xF0\x9F\x98\x80\xE6\x95\xB0" "b";

std::int64_t utf16_start(std::string_view line, std::int64_t column, ColumnUnit unit,
                         ColumnOrigin origin = ColumnOrigin::line_start) {
  return utf16_offset(line, byte_offset_of_column(line, column, unit, origin));
}

}  // namespace

TEST_CASE("columns: each unit finds the same character on a line with emoji and CJK") {
  // The column of 'b' in each unit, and its UTF-16 offset 4.
  CHECK(utf16_start(kMixed, 9, ColumnUnit::utf8_bytes) == 4);
  CHECK(utf16_start(kMixed, 4, ColumnUnit::code_points) == 4);
  CHECK(utf16_start(kMixed, 5, ColumnUnit::utf16_code_units) == 4);
  CHECK(utf16_start(kMixed, 6, ColumnUnit::display_columns) == 4);
  // 数 starts at UTF-16 offset 3.
  CHECK(utf16_start(kMixed, 6, ColumnUnit::utf8_bytes) == 3);
  CHECK(utf16_start(kMixed, 3, ColumnUnit::code_points) == 3);
  CHECK(utf16_start(kMixed, 4, ColumnUnit::display_columns) == 3);
}

TEST_CASE("columns: a column inside a character means that character; past the end means the end") {
  CHECK(utf16_start(kMixed, 3, ColumnUnit::utf8_bytes) == 1);        // a byte inside 😀
  CHECK(utf16_start(kMixed, 3, ColumnUnit::display_columns) == 1);   // 😀's second cell
  CHECK(utf16_start(kMixed, 99, ColumnUnit::code_points) == 5);
  CHECK(utf16_start(kMixed, 0, ColumnUnit::code_points) == 0);
  CHECK(utf16_start("", 5, ColumnUnit::utf8_bytes) == 0);
}

TEST_CASE("columns: tabs run to the next multiple of 8 display cells") {
  CHECK(utf16_start("\tx", 9, ColumnUnit::display_columns) == 1);
  CHECK(utf16_start("ab\tx", 9, ColumnUnit::display_columns) == 3);
  CHECK(utf16_start("ab\tx", 4, ColumnUnit::utf8_bytes) == 3);
}

TEST_CASE("columns: counted from the first non-blank character") {
  CHECK(utf16_start("    return a / b", 8, ColumnUnit::code_points, ColumnOrigin::first_non_blank) == 11);
  CHECK(utf16_start("\t\tx = \xF0\x9F\x98\x80 + y", 10, ColumnUnit::utf8_bytes, ColumnOrigin::first_non_blank) ==
        9);
  CHECK(first_non_blank("  \t x") == 4);
  CHECK(first_non_blank("   ") == 3);
}

TEST_CASE("columns: tokens and characters") {
  constexpr std::string_view line = "  value = 数据_x + (1)";
  CHECK(end_of_token(line, 2) == 7);
  CHECK(end_of_token(line, 10) == line.find(" +"));
  CHECK(end_of_token(line, 8) == 9);   // '=' alone
  CHECK(end_of_token(line, line.size()) == line.size());
  CHECK(end_of_character(kMixed, 1) == 5);
}

TEST_CASE("UTF-8: decoding and repair of invalid bytes") {
  CHECK(decode_utf8(kMixed, 1).code_point == 0x1F600);
  CHECK(decode_utf8(kMixed, 1).length == 4);
  CHECK(decode_utf8("\xC0\xAF", 0).code_point == 0xFFFD);        // overlong
  CHECK(decode_utf8("\xED\xA0\x80", 0).code_point == 0xFFFD);    // surrogate
  CHECK(decode_utf8("\xF0\x9F\x98", 0).length == 1);             // truncated
  CHECK(utf16_offset("\xFF\xFEz", 3) == 3);
  CHECK(to_valid_utf8("ok \xFF \xEF\xBF\xBD", 100) == "ok \xEF\xBF\xBD \xEF\xBF\xBD");
  CHECK(to_valid_utf8(kMixed, 6) == "a\xF0\x9F\x98\x80");
}

TEST_CASE("display width: wide, narrow and zero-width characters") {
  CHECK(display_width(U'a') == 1);
  CHECK(display_width(U'é') == 1);
  CHECK(display_width(U'数') == 2);
  CHECK(display_width(U'한') == 2);
  CHECK(display_width(U'😀') == 2);
  CHECK(display_width(U'Ａ') == 2);
  CHECK(display_width(0x0301) == 0);
  CHECK(display_width(0x200D) == 0);
  CHECK(display_width(0xFE0F) == 0);
}
