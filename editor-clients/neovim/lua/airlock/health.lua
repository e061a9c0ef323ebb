-- :checkhealth airlock — the server binary, what `airlock doctor` finds on this host, and the
-- running server's capabilities.
local client = require("airlock.client")
local config = require("airlock.config")

local M = {}

local DOCTOR_TIMEOUT_MS = 15000

-- Neovim 0.7 reports through Vimscript's health#report_*, 0.8 through vim.health.report_*,
-- 0.9 and later through vim.health.start/ok/warn/error/info.
local function reporter()
  local health = vim.health or {}
  local function pick(name)
    return health[name] or health["report_" .. name] or vim.fn["health#report_" .. name]
  end
  return {
    start = pick("start"),
    ok = pick("ok"),
    warn = pick("warn"),
    error = pick("error"),
    info = pick("info"),
  }
end

-- Runs argv to completion; stdout and stderr come back separately.
local function capture(argv)
  local collected = { stdout = {}, stderr = {}, code = nil }
  local function keep(name)
    return function(_, data)
      collected[name] = data
    end
  end
  local job = vim.fn.jobstart(argv, {
    stdout_buffered = true,
    stderr_buffered = true,
    on_stdout = keep("stdout"),
    on_stderr = keep("stderr"),
    on_exit = function(_, code)
      collected.code = code
    end,
  })
  if job <= 0 then
    return nil, "could not start " .. argv[1]
  end
  if vim.fn.jobwait({ job }, DOCTOR_TIMEOUT_MS)[1] == -1 then
    vim.fn.jobstop(job)
    return nil, string.format("%s did not finish within %d s", table.concat(argv, " "), DOCTOR_TIMEOUT_MS / 1000)
  end
  vim.wait(1000, function()
    return collected.code ~= nil
  end, 10)
  return {
    code = collected.code,
    stdout = vim.trim(table.concat(collected.stdout, "\n")),
    stderr = vim.trim(table.concat(collected.stderr, "\n")),
  }
end

local function check_binary(report)
  local cmd = config.options.cmd
  local binary = type(cmd) == "table" and cmd[1] or nil
  local path = binary and vim.fn.exepath(binary) or ""
  if path == "" then
    report.error(
      string.format("server binary %q not found", tostring(binary)),
      { "Build it: cmake -S . -B build && cmake --build build --target airlock", "or set `cmd` in require(\"airlock\").setup()" }
    )
    return nil
  end
  local version = capture({ path, "--version" })
  report.ok(string.format("server binary: %s (%s)", path, version and version.stdout ~= "" and version.stdout or "version unknown"))
  return path
end

local function report_doctor(report, path)
  local result, err = capture({ path, "doctor", "--json" })
  if not result then
    return report.error("airlock doctor: " .. err)
  end
  local ok, findings = pcall(vim.json.decode, result.stdout)
  if not ok or type(findings) ~= "table" then
    return report.error(
      string.format("airlock doctor exited with %d and no report", result.code),
      { result.stderr ~= "" and result.stderr or result.stdout }
    )
  end
  for _, isolation in ipairs(findings.isolation or {}) do
    if isolation.available then
      report.ok(string.format("isolation %q is available", isolation.name))
    else
      report.error(string.format("isolation %q is unavailable: %s", isolation.name, isolation.reason or "?"))
    end
  end
  for _, protection in ipairs(findings.protections or {}) do
    local line = string.format("%s: %s", protection.name, protection.detail or "")
    if protection.active then
      report.ok(line)
    else
      report.warn(line)
    end
  end
end

local function report_running_server(report)
  if not client.is_ready() then
    return report.info("no server running in this session (it starts with the first :AirlockRun)")
  end
  local info = client.server_info() or {}
  local sandbox = client.sandbox_capabilities()
  local function list(values)
    return type(values) == "table" and table.concat(values, ", ") or "?"
  end
  report.ok(string.format("running: %s %s", info.name or "airlock", info.version or ""))
  report.info("languages: " .. list(sandbox.languages))
  report.info("isolation: " .. list(sandbox.isolation))
  report.info("workspace modes: " .. list(sandbox.workspaceModes))
  report.info("interactive input: " .. tostring(sandbox.interactive == true))
end

function M.check()
  local report = reporter()
  report.start("airlock")
  if vim.fn.has("nvim-0.7") == 1 then
    local version = vim.version()
    report.ok(string.format("Neovim %d.%d.%d", version.major, version.minor, version.patch))
  else
    report.error("Neovim 0.7 or later is needed")
  end
  local path = check_binary(report)
  if path then
    report.start("airlock doctor")
    report_doctor(report, path)
  end
  report.start("airlock server")
  report_running_server(report)
end

return M
