-- The server as a process: :checkhealth, a missing binary, a server that dies mid-run.
local h = require("harness")
local s = require("support")
local client = require("airlock.client")

h.test(":checkhealth airlock reports the binary and airlock doctor's findings", function()
  vim.cmd("checkhealth airlock")
  local report = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), "\n")
  h.contains(report, "server binary: " .. vim.fn.exepath(h.airlock_bin), "binary")
  h.contains(report, 'isolation "process"', "doctor's isolation finding")
  h.contains(report, "user namespace", "doctor's protections")
  h.not_contains(report, "Failed to run healthcheck", "health check ran")
end)

h.test("a missing server binary ends the run with what to do", function()
  client.stop(2000)
  h.configure({ cmd = { h.workspace .. "/no-such-airlock", "serve" } })
  local ok, err = pcall(function()
    s.scratch("python", { "print(1)" })
    local run = s.run_to_end("AirlockRun")
    h.eq("error", run.result.status, "status")
    h.contains(run.result.message, "no-such-airlock", "message names the binary")
    h.contains(s.footer(run), "set `cmd`", "footer says how to fix it")
    h.wait_for("an error notification", function()
      local last = h.notifications[#h.notifications]
      return last and last.level == vim.log.levels.ERROR and last.message:find("no-such-airlock", 1, true) ~= nil
    end, 2000)
  end)
  h.configure()
  if not ok then
    error(err, 0)
  end
end)

h.test("runs end when the server dies, and the next run starts a new server", function()
  local run = s.start_sleeper()
  client.kill()
  s.wait_finished(run, 10000)
  h.eq("error", run.result.status, "status")
  h.contains(run.result.message, "server exited", "message")

  s.scratch("python", { 'print("after restart")' })
  local next_run = s.run_to_end("AirlockRun")
  h.eq("ok", next_run.result.status, "status after restart")
  h.contains(s.run_output(next_run), "after restart", "output after restart")
end)
