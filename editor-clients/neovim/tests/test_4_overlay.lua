-- Overlay runs: writes stay aside until :AirlockApply or :AirlockDiscard.
local h = require("harness")
local s = require("support")
local client = require("airlock.client")
local overlay = require("airlock.overlay")

local OVERLAY = { workspace = "overlay" }

local function require_overlay()
  local modes = client.sandbox_capabilities().workspaceModes or {}
  if not vim.tbl_contains(modes, "overlay") then
    h.skip("the server offers no overlay workspace (workspaceModes: " .. table.concat(modes, ", ") .. ")")
  end
end

-- Runs a snippet that writes file_name in an overlay workspace and returns the finished run.
local function overlay_run_writing(file_name, text)
  s.scratch("python", { string.format("open(%q, 'w').write(%q)", file_name, text), 'print("wrote it")' })
  local run = require("airlock").run({ bufnr = vim.api.nvim_get_current_buf(), policy = OVERLAY })
  s.wait_finished(run)
  return run
end

local function start_server()
  local ready = false
  client.ensure_started(function(err)
    h.eq(nil, err, "server start")
    ready = true
  end)
  h.wait_for("the server to initialize", function()
    return ready
  end)
end

h.test(":AirlockApply writes an overlay run's changes into the workspace", function()
  start_server()
  require_overlay()
  local path = h.workspace .. "/applied.txt"
  local run = overlay_run_writing("applied.txt", "kept")
  h.eq("ok", run.result.status, "status")
  h.eq(nil, h.read_file(path), "workspace untouched before apply")
  h.eq({ "applied.txt" }, overlay.waiting_paths(), "changes waiting")
  h.contains(s.footer(run), "A applied.txt", "footer lists the change")
  vim.cmd("AirlockApply")
  h.wait_for("the change to be applied", function()
    return overlay.waiting() == nil
  end)
  h.eq("kept", h.read_file(path), "file content in the workspace")
end)

h.test(":AirlockApply of every change ends the review even when some are not applied", function()
  start_server()
  require_overlay()
  local path = h.workspace .. "/conflicted.txt"
  overlay_run_writing("conflicted.txt", "from the run")
  h.eq({ "conflicted.txt" }, overlay.waiting_paths(), "changes waiting")
  -- The user creates the same file after the run: applying would overwrite it.
  h.write_file(path, "edited meanwhile")
  vim.cmd("AirlockApply")
  h.wait_for("the review to end", function()
    return overlay.waiting() == nil
  end)
  h.eq("edited meanwhile", h.read_file(path), "the user's edit is kept")
  h.contains(table.concat(s.output_lines(), "\n"), "not applied, changed in the workspace since the run started: conflicted.txt",
    "output names the conflict")
end)

h.test(":AirlockDiscard drops an overlay run's changes", function()
  start_server()
  require_overlay()
  local path = h.workspace .. "/discarded.txt"
  local run = overlay_run_writing("discarded.txt", "dropped")
  h.eq({ "discarded.txt" }, overlay.waiting_paths(), "changes waiting")
  vim.cmd("AirlockDiscard")
  h.wait_for("the changes to be discarded", function()
    return overlay.waiting() == nil
  end)
  h.eq(nil, h.read_file(path), "workspace after discard")
  h.contains(table.concat(s.output_lines(), "\n"), "discarded the changes of " .. run.id, "output note")
end)
