#pragma once

// How many terminal cells a character takes, as compilers count display columns: 2 for East Asian Wide and
// Fullwidth characters (CJK, Hangul, most emoji), 0 for combining marks and zero-width characters, else 1.

namespace airlock::server::diagnostics {

int display_width(char32_t code_point);

}  // namespace airlock::server::diagnostics
