#include "sandbox/windows/run_folder.h"

#include <windows.h>

#include <atomic>
#include <filesystem>
#include <system_error>

#include "sandbox/windows/unique_handle.h"
#include "sandbox/windows/utf16.h"
#include "sandbox/windows/windows_error.h"

namespace airlock::sandbox::windows {
namespace {

constexpr int kNameAttempts = 100;

WindowsPath temporary_folder() {
  wchar_t buffer[MAX_PATH + 1];
  const DWORD length = ::GetTempPathW(MAX_PATH + 1, buffer);
  if (length == 0 || length > MAX_PATH) throw_last_error("GetTempPathW");
  const std::string text = to_utf8(std::wstring_view(buffer, length));
  const auto path = WindowsPath::parse(text.size() > 3 && text.back() == '\\' ? text.substr(0, text.size() - 1) : text);
  if (!path) throw WindowsError("GetTempPathW (\"" + text + "\" is not an absolute path)", ERROR_BAD_PATHNAME);
  return *path;
}

void write_file(const RunFolderFile& file) {
  UniqueHandle handle(::CreateFileW(to_utf16(file.path.extended()).c_str(), GENERIC_WRITE, 0, nullptr, CREATE_NEW,
                                    FILE_ATTRIBUTE_NORMAL, nullptr));
  if (!handle) throw_last_error("CreateFileW(" + file.path.str() + ")");
  std::size_t written = 0;
  while (written < file.content.size()) {
    DWORD chunk = 0;
    const auto size = static_cast<DWORD>(std::min<std::size_t>(file.content.size() - written, 1 << 20));
    if (!::WriteFile(handle.get(), file.content.data() + written, size, &chunk, nullptr))
      throw_last_error("WriteFile(" + file.path.str() + ")");
    written += chunk;
  }
}

}  // namespace

RunFolder RunFolder::create() {
  static std::atomic<unsigned> counter{0};
  const WindowsPath parent = temporary_folder();
  for (int attempt = 0; attempt < kNameAttempts; ++attempt) {
    WindowsPath path = parent.child("airlock-run-" + std::to_string(::GetCurrentProcessId()) + "-" +
                                    std::to_string(++counter));
    // Fails on an existing name, so a folder left behind (or planted) by someone else is never reused.
    if (::CreateDirectoryW(to_utf16(path.extended()).c_str(), nullptr)) return RunFolder(std::move(path));
    if (::GetLastError() != ERROR_ALREADY_EXISTS) throw_last_error("CreateDirectoryW(" + path.str() + ")");
  }
  throw WindowsError("CreateDirectoryW(a run folder in " + parent.str() + ")", ERROR_ALREADY_EXISTS,
                     "remove the airlock-run-* folders left in the temporary folder");
}

RunFolder::RunFolder(RunFolder&& other) noexcept : path_(other.path_), owned_(std::exchange(other.owned_, false)) {}

RunFolder::~RunFolder() {
  if (!owned_) return;
  std::error_code ignored;  // a file still open elsewhere stays behind; nothing else can be done in a destructor
  std::filesystem::remove_all(std::filesystem::path(to_utf16(path_.extended())), ignored);
}

void RunFolder::fill(const RunFolderPlan& plan) const {
  for (const WindowsPath& folder : plan.folders)
    if (!::CreateDirectoryW(to_utf16(folder.extended()).c_str(), nullptr))
      throw_last_error("CreateDirectoryW(" + folder.str() + ")");
  for (const RunFolderFile& file : plan.files) write_file(file);
}

}  // namespace airlock::sandbox::windows
