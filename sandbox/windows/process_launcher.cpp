#include "sandbox/windows/process_launcher.h"

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "sandbox/windows/command_line.h"
#include "sandbox/windows/utf16.h"
#include "sandbox/windows/windows_error.h"

namespace airlock::sandbox::windows {
namespace {

// STARTUPINFOEXW's attribute list, sized for the attributes a launch may set.
class AttributeList {
 public:
  explicit AttributeList(DWORD count) {
    SIZE_T size = 0;
    ::InitializeProcThreadAttributeList(nullptr, count, 0, &size);
    storage_ = std::make_unique<char[]>(size);
    list_ = reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(storage_.get());
    if (!::InitializeProcThreadAttributeList(list_, count, 0, &size)) throw_last_error("InitializeProcThreadAttributeList");
  }
  AttributeList(const AttributeList&) = delete;
  AttributeList& operator=(const AttributeList&) = delete;
  ~AttributeList() { ::DeleteProcThreadAttributeList(list_); }

  void set(DWORD_PTR attribute, void* value, SIZE_T size, const char* what) {
    if (!::UpdateProcThreadAttribute(list_, 0, attribute, value, size, nullptr, nullptr))
      throw_last_error(std::string("UpdateProcThreadAttribute(") + what + ")");
  }
  LPPROC_THREAD_ATTRIBUTE_LIST get() const { return list_; }

 private:
  std::unique_ptr<char[]> storage_;
  LPPROC_THREAD_ATTRIBUTE_LIST list_ = nullptr;
};

int compare_ignoring_case(const std::wstring& a, const std::wstring& b) {
  return ::CompareStringOrdinal(a.c_str(), static_cast<int>(a.size()), b.c_str(), static_cast<int>(b.size()), TRUE);
}

}  // namespace

std::wstring environment_block(const std::vector<std::pair<std::string, std::string>>& env) {
  std::vector<std::pair<std::wstring, std::wstring>> entries;
  for (const auto& [name, value] : env) {
    if (name.empty() || name.find_first_of(std::string("=\0", 2)) != std::string::npos ||
        value.find('\0') != std::string::npos)
      throw std::invalid_argument("environment variable \"" + name + "\" cannot be passed to a Windows program");
    entries.emplace_back(to_utf16(name), to_utf16(value));
  }
  // Sorted by name alone: as whole entries "A=1" would sort after "A0=2", but Windows wants A before A0.
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return compare_ignoring_case(a.first, b.first) == CSTR_LESS_THAN; });
  const auto twin = std::adjacent_find(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return compare_ignoring_case(a.first, b.first) == CSTR_EQUAL;
  });
  // Which of two spellings a program would see depends on where each lands in the block: never leave it to that.
  if (twin != entries.end())
    throw std::invalid_argument("environment variables \"" + to_utf8(twin->first) + "\" and \"" +
                                to_utf8(std::next(twin)->first) + "\" are one variable on Windows; give it once");
  std::wstring block;
  for (const auto& [name, value] : entries) {
    block += name + L"=" + value;
    block.push_back(L'\0');
  }
  block.push_back(L'\0');
  if (entries.empty()) block.push_back(L'\0');  // an empty block is still two NULs
  return block;
}

StartedProcess start_in_job(const ProcessLaunch& launch, const ChildStdio& stdio, const JobObject& job) {
  if (launch.argv.empty()) throw std::invalid_argument("nothing to launch: argv is empty");
  if (is_batch_file(launch.argv.front()))
    throw std::invalid_argument("\"" + launch.argv.front() + "\" is a batch file: cmd.exe would reparse its arguments; "
                                "run it as [\"cmd.exe\", \"/d\", \"/c\", ...] with arguments you have escaped for cmd");
  std::wstring command_line = to_utf16(build_command_line(launch.argv));
  const std::wstring cwd = to_utf16(launch.cwd);
  std::wstring environment = environment_block(launch.env);

  HANDLE inherited[] = {stdio.input, stdio.output, stdio.error};
  const bool attached_to_console = stdio.console != nullptr;

  AttributeList attributes(2);
  // A program on a pseudoconsole inherits nothing: inheriting handles would let it pick up the server's stdio
  // instead of the console's.
  if (attached_to_console)
    attributes.set(PROC_THREAD_ATTRIBUTE_PSEUDOCONSOLE, stdio.console, sizeof stdio.console, "pseudoconsole");
  else
    attributes.set(PROC_THREAD_ATTRIBUTE_HANDLE_LIST, inherited, sizeof inherited, "handle list");
  SECURITY_CAPABILITIES capabilities{};
  if (launch.app_container) {
    // No capabilities: no network, no libraries, no devices. An AppContainer token is always of low integrity.
    capabilities.AppContainerSid = launch.app_container;
    attributes.set(PROC_THREAD_ATTRIBUTE_SECURITY_CAPABILITIES, &capabilities, sizeof capabilities, "AppContainer");
  }

  STARTUPINFOEXW startup{};
  startup.StartupInfo.cb = sizeof startup;
  // Always given, even on a pseudoconsole: without them Windows copies the server's own stdio (pipes, not console
  // handles) into the program, which then writes there instead of to its console. Null ones make the program open
  // its console's.
  startup.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
  startup.StartupInfo.hStdInput = stdio.input;
  startup.StartupInfo.hStdOutput = stdio.output;
  startup.StartupInfo.hStdError = stdio.error;
  startup.lpAttributeList = attributes.get();

  PROCESS_INFORMATION info{};
  // CREATE_NO_WINDOW would give the program a hidden console of its own instead of the pseudoconsole.
  if (!::CreateProcessW(nullptr, command_line.data(), nullptr, nullptr, !attached_to_console,
                        CREATE_SUSPENDED | CREATE_UNICODE_ENVIRONMENT | EXTENDED_STARTUPINFO_PRESENT |
                            (attached_to_console ? 0 : CREATE_NO_WINDOW),
                        environment.data(), cwd.c_str(), &startup.StartupInfo, &info))
    throw_last_error("CreateProcessW(" + launch.argv.front() + ")",
                     "check that the program exists and is on the sandbox's PATH");
  UniqueHandle process(info.hProcess);
  UniqueHandle thread(info.hThread);
  try {
    job.assign(process.get());
  } catch (...) {
    ::TerminateProcess(process.get(), 1);  // never let it run outside the job
    throw;
  }
  if (::ResumeThread(thread.get()) == static_cast<DWORD>(-1)) {
    ::TerminateProcess(process.get(), 1);
    throw_last_error("ResumeThread");
  }
  return {std::move(process), info.dwProcessId};
}

}  // namespace airlock::sandbox::windows
