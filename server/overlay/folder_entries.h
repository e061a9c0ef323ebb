#pragma once

// The names in one folder, read through its descriptor.

#include <cstddef>
#include <string>
#include <vector>

namespace airlock::server::overlay {

// Sorted, without "." and "..". Throws std::system_error when the folder cannot be read, std::length_error when
// it holds more than max_entries names (a layer is untrusted input).
std::vector<std::string> folder_entries(int folder, std::size_t max_entries);

}  // namespace airlock::server::overlay
