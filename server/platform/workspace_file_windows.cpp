#include <windows.h>

#include <algorithm>
#include <cwctype>

#include "sandbox/windows/unique_handle.h"
#include "sandbox/windows/utf16.h"
#include "server/diagnostics/workspace_file.h"

namespace airlock::server::diagnostics {
namespace {

using sandbox::windows::UniqueHandle;

constexpr std::size_t kMaxFileBytes = 8 * 1024 * 1024;

// The path Windows resolved the handle to, after every link and junction: what was really opened.
std::optional<std::wstring> final_path(HANDLE handle) {
  std::wstring path(MAX_PATH, L'\0');
  DWORD length = ::GetFinalPathNameByHandleW(handle, path.data(), static_cast<DWORD>(path.size()), FILE_NAME_NORMALIZED);
  if (length >= path.size()) {
    path.resize(length);
    length = ::GetFinalPathNameByHandleW(handle, path.data(), static_cast<DWORD>(path.size()), FILE_NAME_NORMALIZED);
  }
  if (length == 0 || length >= path.size()) return std::nullopt;
  path.resize(length);
  std::transform(path.begin(), path.end(), path.begin(), [](wchar_t c) { return std::towlower(c); });
  return path;
}

UniqueHandle open_for_reading(const std::wstring& path, DWORD flags) {
  return UniqueHandle(::CreateFileW(path.c_str(), GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                                    nullptr, OPEN_EXISTING, flags, nullptr));
}

}  // namespace

// Windows has no openat2: the file is opened (links followed), then accepted only when the path Windows really
// opened lies inside the folder's own resolved path, so a link or junction planted by the run leads nowhere else.
std::optional<std::string> read_workspace_file(const std::string& workspace_folder, const std::string& relative_path) {
  if (relative_path.empty() || relative_path.front() == '/' || relative_path.front() == '\\' ||
      relative_path.find(':') != std::string::npos)
    return std::nullopt;
  try {
    const std::wstring folder_path = sandbox::windows::to_utf16(workspace_folder);
    UniqueHandle folder = open_for_reading(folder_path, FILE_FLAG_BACKUP_SEMANTICS);
    UniqueHandle file = open_for_reading(folder_path + L"\\" + sandbox::windows::to_utf16(relative_path), 0);
    if (!folder || !file || ::GetFileType(file.get()) != FILE_TYPE_DISK) return std::nullopt;
    BY_HANDLE_FILE_INFORMATION info{};
    if (!::GetFileInformationByHandle(file.get(), &info) || (info.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY))
      return std::nullopt;
    const auto folder_final = final_path(folder.get());
    const auto file_final = final_path(file.get());
    if (!folder_final || !file_final || !file_final->starts_with(*folder_final + L"\\")) return std::nullopt;

    std::string content;
    char buffer[64 * 1024];
    while (content.size() < kMaxFileBytes) {
      DWORD count = 0;
      if (!::ReadFile(file.get(), buffer, sizeof buffer, &count, nullptr)) return std::nullopt;
      if (count == 0) break;
      content.append(buffer, std::min<std::size_t>(count, kMaxFileBytes - content.size()));
    }
    return content;
  } catch (const std::invalid_argument&) {
    return std::nullopt;  // not valid UTF-8: no file of the workspace has that name
  }
}

}  // namespace airlock::server::diagnostics
