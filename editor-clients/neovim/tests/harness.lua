-- A small test runner for headless Neovim: named cases, assertions, waiting on the event loop,
-- a throwaway workspace folder, and the closing "N passed, N failed" line.
local M = {}

local cases = {}
local uv = vim.uv or vim.loop

M.DEFAULT_TIMEOUT_MS = 20000

function M.test(name, fn)
  table.insert(cases, { name = name, fn = fn })
end

-- A case calls skip(reason) when the server lacks what it tests; it is counted apart, never as passed.
local SKIP = {}
function M.skip(reason)
  error({ [SKIP] = reason }, 0)
end

local function fail(message, level)
  error(message, (level or 1) + 1)
end

function M.eq(expected, actual, what)
  if not vim.deep_equal(expected, actual) then
    fail(string.format("%s: expected %s, got %s", what or "value", vim.inspect(expected), vim.inspect(actual)), 2)
  end
end

function M.truthy(value, what)
  if not value then
    fail(string.format("%s: expected a true value, got %s", what or "value", vim.inspect(value)), 2)
  end
end

function M.contains(haystack, needle, what)
  if type(haystack) ~= "string" or not haystack:find(needle, 1, true) then
    fail(string.format("%s: %s not found in:\n%s", what or "text", vim.inspect(needle), tostring(haystack)), 2)
  end
end

function M.not_contains(haystack, needle, what)
  if type(haystack) == "string" and haystack:find(needle, 1, true) then
    fail(string.format("%s: %s unexpectedly found in:\n%s", what or "text", vim.inspect(needle), haystack), 2)
  end
end

-- Runs the event loop until predicate() is true; fails naming what it waited for.
function M.wait_for(what, predicate, timeout_ms)
  local ok = vim.wait(timeout_ms or M.DEFAULT_TIMEOUT_MS, predicate, 20)
  if not ok then
    fail("timed out waiting for " .. what, 2)
  end
end

function M.write_file(path, text)
  vim.fn.mkdir(vim.fn.fnamemodify(path, ":h"), "p")
  local file = assert(io.open(path, "w"))
  file:write(text)
  file:close()
end

function M.read_file(path)
  local file = io.open(path, "r")
  if not file then
    return nil
  end
  local text = file:read("*a")
  file:close()
  return text
end

-- A fresh folder under the system temp dir that a sandbox's unprivileged user may read and write.
function M.make_workspace()
  local dir = assert(uv.fs_mkdtemp((os.getenv("TMPDIR") or "/tmp") .. "/airlock-nvim-XXXXXX"))
  assert(uv.fs_chmod(dir, tonumber("777", 8)))
  return assert(uv.fs_realpath(dir))
end

function M.remove_tree(dir)
  vim.fn.delete(dir, "rf")
end

local function report(line)
  io.stdout:write(line .. "\n")
  io.stdout:flush()
end

-- The end of the server's log, which usually says why a case failed.
local function report_log_tail()
  local log = M.server_log and M.read_file(M.server_log)
  if log then
    local lines = vim.split(log, "\n", { plain = true })
    report("server log (last lines):\n  " .. table.concat(vim.list_slice(lines, math.max(1, #lines - 15)), "\n  "))
  end
end

-- Runs every registered case in order; each starts from a clean window layout.
function M.run_all()
  local passed, failed, skipped = 0, 0, 0
  for _, case in ipairs(cases) do
    local started = uv.hrtime()
    local ok, err = xpcall(case.fn, function(e)
      if type(e) == "table" and e[SKIP] then
        return e
      end
      return debug.traceback(tostring(e), 2)
    end)
    local ms = math.floor((uv.hrtime() - started) / 1e6)
    if ok then
      passed = passed + 1
      report(string.format("PASS %s (%d ms)", case.name, ms))
    elseif type(err) == "table" and err[SKIP] then
      skipped = skipped + 1
      report(string.format("SKIP %s: %s", case.name, err[SKIP]))
    else
      failed = failed + 1
      report(string.format("FAIL %s (%d ms)\n%s", case.name, ms, err))
      report_log_tail()
    end
    vim.cmd("silent! only")
    vim.cmd("silent! enew!")
  end
  local summary = string.format("%d passed, %d failed", passed, failed)
  if skipped > 0 then
    summary = summary .. string.format(", %d skipped", skipped)
  end
  report(summary)
  return failed == 0
end

return M
