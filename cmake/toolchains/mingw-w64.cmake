# Cross-builds for 64-bit Windows with Debian's mingw-w64 (g++-mingw-w64-x86-64-posix): the posix thread model,
# because the default win32 one has no std::thread or std::mutex. Executables are static, so they need no mingw
# DLLs on Windows or under Wine, and tests run under Wine (tests/windows/run-under-wine) through
# CMAKE_CROSSCOMPILING_EMULATOR, so `ctest` in the build folder runs them.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc-posix)
set(CMAKE_CXX_COMPILER x86_64-w64-mingw32-g++-posix)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)

set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# The Linux header-only libraries serve the Windows build too, but the cross compiler must never see the rest of
# /usr/include (glibc's headers would shadow mingw's): it gets a folder holding links to exactly these.
set(AIRLOCK_MINGW_HEADERS ${CMAKE_BINARY_DIR}/mingw-header-only)
file(MAKE_DIRECTORY ${AIRLOCK_MINGW_HEADERS})
foreach(library boost nlohmann doctest spdlog fmt)
  if(NOT EXISTS ${AIRLOCK_MINGW_HEADERS}/${library} AND EXISTS /usr/include/${library})
    file(CREATE_LINK /usr/include/${library} ${AIRLOCK_MINGW_HEADERS}/${library} SYMBOLIC)
  endif()
endforeach()

# Windows 10 APIs (ConPTY needs NTDDI_VERSION 0x0A000006), the wide-character API, and Debian's spdlog, which
# expects fmt as a separate library, used header-only.
set(CMAKE_CXX_FLAGS_INIT "-isystem ${AIRLOCK_MINGW_HEADERS} -D_WIN32_WINNT=0x0A00 -DWINVER=0x0A00 -DNTDDI_VERSION=0x0A000006 -DWIN32_LEAN_AND_MEAN -DNOMINMAX -DUNICODE -D_UNICODE -DFMT_HEADER_ONLY")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")

set(CMAKE_CROSSCOMPILING_EMULATOR ${CMAKE_CURRENT_LIST_DIR}/../../tests/windows/run-under-wine)
