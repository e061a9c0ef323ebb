-- Headless tests of the Neovim client against the real airlock binary:
--   AIRLOCK_BIN=<path to airlock> nvim --headless -u NONE -i NONE -c 'luafile editor-clients/neovim/tests/run.lua'
-- AIRLOCK_BIN defaults to build/airlock of this repository. Exits non-zero when a case fails.
local tests_dir = vim.fn.fnamemodify(debug.getinfo(1, "S").source:sub(2), ":p:h")
local plugin_dir = vim.fn.fnamemodify(tests_dir, ":h")
local repo_dir = vim.fn.fnamemodify(plugin_dir, ":h:h")

-- A wedged case must not keep CI waiting: the whole suite ends with a failure after this long.
local SUITE_TIMEOUT_MS = 240000

local function quit(success)
  io.stdout:flush()
  vim.cmd(success and "qa!" or "cq")
end

local watchdog = (vim.uv or vim.loop).new_timer()
watchdog:start(SUITE_TIMEOUT_MS, 0, function()
  io.stdout:write(string.format("the suite did not finish within %d s\n", SUITE_TIMEOUT_MS / 1000))
  os.exit(1)
end)

local ok, result = xpcall(function()
  vim.opt.runtimepath:prepend(plugin_dir)
  -- -u NONE leaves filetype detection off; users have it on.
  vim.cmd("filetype on")
  package.path = tests_dir .. "/?.lua;" .. package.path
  local harness = require("harness")
  -- Headless Neovim prints messages to stderr without a line end; the cases' report stays readable
  -- when they go to stdout as lines of their own, and cases can check what the user was told.
  harness.notifications = {}
  vim.notify = function(message, level)
    table.insert(harness.notifications, { message = message, level = level })
    io.stdout:write(string.format("  notify(%s): %s\n", tostring(level), message))
  end
  harness.airlock_bin = os.getenv("AIRLOCK_BIN") or (repo_dir .. "/build/airlock")
  harness.workspace = harness.make_workspace()
  -- A log file keeps the server's stderr out of Neovim's LSP log; failed cases show its end.
  harness.server_log = vim.fn.tempname() .. "-airlock-serve.log"
  harness.configure = function(extra)
    require("airlock").setup(vim.tbl_deep_extend("force", {
      cmd = { harness.airlock_bin, "serve", "--log-file", harness.server_log },
      root_dir = harness.workspace,
      limits = { timeoutMs = 60000 },
    }, extra or {}))
  end
  harness.configure()

  for _, file in ipairs(vim.fn.sort(vim.fn.glob(tests_dir .. "/test_*.lua", false, true))) do
    dofile(file)
  end
  local passed = harness.run_all()
  require("airlock.client").stop(2000)
  harness.remove_tree(harness.workspace)
  return passed
end, debug.traceback)

if not ok then
  io.stdout:write("the test suite itself failed:\n" .. tostring(result) .. "\n0 passed, 1 failed\n")
end
quit(ok and result)
