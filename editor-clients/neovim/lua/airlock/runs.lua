-- Every run of this Neovim session: starting it, its streamed output, cancelling it, its input and its end.
-- A run ends on whichever comes first of the execute response and sandbox/exited: Neovim drops the
-- -32800 response of a cancelled request, so a cancelled run only ever ends through sandbox/exited.
local ansi = require("airlock.ansi")
local client = require("airlock.client")
local config = require("airlock.config")
local diagnostics = require("airlock.diagnostics")
local language = require("airlock.language")
local notify = require("airlock.notify")
local output = require("airlock.output")
local overlay = require("airlock.overlay")
local summary = require("airlock.summary")

local M = {}

local by_id = {}
local started_order = {}
local counter = 0

-- Finished runs are forgotten beyond this many, oldest first; their output stays in the buffer.
local KEPT_RUNS = 100

local function next_run_id()
  counter = counter + 1
  return string.format("nvim-%d-%d", vim.fn.getpid(), counter)
end

local function non_empty(tbl)
  if type(tbl) == "table" and next(tbl) ~= nil then
    return tbl
  end
  return nil
end

local function forget_old_runs()
  local index = 1
  while #started_order > KEPT_RUNS and index <= #started_order do
    local run_id = started_order[index]
    if by_id[run_id].state == "finished" then
      by_id[run_id] = nil
      table.remove(started_order, index)
    else
      index = index + 1
    end
  end
end

local function finish(run, result)
  if run.state == "finished" then
    return
  end
  run.state, run.result = "finished", result
  for stream_name, stream in pairs(run.streams) do
    output.write(run.id, ansi.finish(stream), stream_name == "stderr" and "AirlockStderr" or nil)
  end
  output.lines(summary.footer(run, result), result.status == "ok" and "AirlockFooterOk" or "AirlockFooterFailed")
  if result.status == "error" then
    notify.error(result.message or "the run could not start")
  end
  overlay.offer(run)
  forget_old_runs()
end

local function fail(run, message)
  finish(run, { runId = run.id, status = "error", message = message })
end

local function execute_params(run, spec, overrides)
  return {
    runId = run.id,
    workspaceFolder = spec.workspace,
    code = spec.code,
    file = spec.file,
    language = spec.language,
    source = spec.source,
    args = non_empty(overrides.args),
    interactive = run.interactive or nil,
    env = non_empty(vim.tbl_extend("force", config.options.env or {}, overrides.env or {})),
    policy = non_empty(vim.tbl_extend("force", config.options.policy or {}, overrides.policy or {})),
    limits = non_empty(vim.tbl_extend("force", config.options.limits or {}, overrides.limits or {})),
  }
end

local function on_response(run, err, result)
  if err then
    return fail(run, string.format("%s (error %s)", err.message or "request failed", tostring(err.code)))
  end
  finish(run, result)
end

local function send(run, spec, overrides)
  if run.cancel_requested then
    return finish(run, { runId = run.id, status = "cancelled" })
  end
  local capabilities = client.sandbox_capabilities()
  local unsupported = spec.language and language.unsupported_reason(spec.language, capabilities.languages)
  if unsupported then
    return fail(run, unsupported)
  end
  local wants_input = overrides.interactive
  if wants_input == nil then
    wants_input = config.options.interactive
  end
  run.interactive = wants_input and capabilities.interactive == true
  run.state = "running"
  local request_id, err = client.request("sandbox/execute", execute_params(run, spec, overrides), function(rpc_err, result)
    on_response(run, rpc_err, result)
  end)
  if not request_id then
    return fail(run, err)
  end
  run.request_id = request_id
end

-- spec: from source.describe(); overrides: { args, env, policy, limits, interactive } for this run only.
-- Returns the run at once; it fills in as the server reports.
function M.start(spec, overrides)
  overrides = overrides or {}
  local run = {
    id = next_run_id(),
    label = spec.label,
    language = spec.language,
    bufnr = spec.bufnr,
    folder = spec.workspace,
    state = "starting",
    streams = { stdout = ansi.new_stream(), stderr = ansi.new_stream() },
  }
  by_id[run.id] = run
  table.insert(started_order, run.id)
  -- The server replaces a document's diagnostics when it runs again; clearing now keeps stale ones
  -- from pointing at code the user is changing.
  diagnostics.clear(spec.bufnr)
  output.lines(output.has_content() and { "", summary.header(run) } or { summary.header(run) }, "AirlockHeader")
  if config.options.output.open_on_run then
    output.show(false)
  end
  client.ensure_started(function(err)
    if err then
      return fail(run, err)
    end
    send(run, spec, overrides)
  end)
  return run
end

function M.get(run_id)
  return by_id[run_id]
end

-- The most recent run that has not finished and satisfies accept (optional).
function M.latest_active(accept)
  for index = #started_order, 1, -1 do
    local run = by_id[started_order[index]]
    if run.state ~= "finished" and (not accept or accept(run)) then
      return run
    end
  end
  return nil
end

function M.active_ids()
  local ids = {}
  for _, run_id in ipairs(started_order) do
    if by_id[run_id].state ~= "finished" then
      table.insert(ids, run_id)
    end
  end
  return ids
end

function M.latest()
  return by_id[started_order[#started_order]]
end

-- Cancels run_id, or the latest active run. The run ends when the server reports sandbox/exited.
function M.cancel(run_id)
  local run = run_id and by_id[run_id] or M.latest_active()
  if not run or run.state == "finished" then
    return nil, run_id and ("no active run " .. run_id) or "no run is active"
  end
  run.cancel_requested = true
  if run.request_id then
    client.notify("$/cancelRequest", { id = run.request_id })
  end
  return run
end

-- Writes text to the stdin of run_id, or of the latest active interactive run; eof closes stdin.
function M.input(text, eof, run_id)
  local run = run_id and by_id[run_id]
    or M.latest_active(function(candidate)
      return candidate.interactive
    end)
  if not run or run.state ~= "running" or not run.interactive then
    return nil, "no interactive run is active (runs take input when `interactive` is on and the server supports it)"
  end
  client.notify("sandbox/input", { runId = run.id, text = text, eof = eof or nil })
  output.write(run.id, text, "AirlockInput")
  return run
end

function M.on_started(params)
  local run = by_id[params.runId]
  if run then
    run.isolation, run.workspace = params.isolation, params.workspace
  end
end

function M.on_output(params)
  local run = by_id[params.runId]
  if not run then
    return
  end
  local stream = run.streams[params.stream] or run.streams.stdout
  local text = ansi.strip(stream, params.text or "")
  output.write(run.id, text, params.stream == "stderr" and "AirlockStderr" or nil)
end

function M.on_exited(result)
  local run = by_id[result.runId]
  if run then
    finish(run, result)
  end
end

-- The server went away: nothing it ran is still running. Returns how many runs it ended.
function M.on_server_exit(message)
  local ended = M.active_ids()
  for _, run_id in ipairs(ended) do
    fail(by_id[run_id], message)
  end
  overlay.forget()
  return #ended
end

return M
