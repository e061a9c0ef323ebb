-- Airlock for Neovim: runs code in a fresh sandbox through `airlock serve`, streams its output into
-- a scratch buffer and shows the errors it finds as diagnostics in the source buffer.
local client = require("airlock.client")
local config = require("airlock.config")
local diagnostics = require("airlock.diagnostics")
local notify = require("airlock.notify")
local output = require("airlock.output")
local overlay = require("airlock.overlay")
local runs = require("airlock.runs")
local source = require("airlock.source")

local M = {}

local LOG_LEVELS = { vim.log.levels.ERROR, vim.log.levels.WARN, vim.log.levels.INFO, vim.log.levels.DEBUG }

local function show_server_message(params, quietest_shown)
  if params and params.type and params.type <= quietest_shown then
    vim.notify("airlock server: " .. tostring(params.message), LOG_LEVELS[params.type])
  end
end

local NOTIFICATION_HANDLERS = {
  ["sandbox/started"] = runs.on_started,
  ["sandbox/output"] = runs.on_output,
  ["sandbox/exited"] = runs.on_exited,
  ["textDocument/publishDiagnostics"] = function(params)
    diagnostics.publish(params, (client.capabilities() or {}).positionEncoding)
  end,
  ["window/showMessage"] = function(params)
    show_server_message(params, 3)
  end,
  ["window/logMessage"] = function(params)
    show_server_message(params, 1)
  end,
}

-- Returns the run, or nil and why nothing runs. opts: { bufnr, range, line1, line2 } as a user
-- command receives them, plus per-run { args, env, policy, limits, interactive }.
function M.run(opts)
  local spec, err = source.describe(opts or {})
  if not spec then
    notify.error(err)
    return nil, err
  end
  return runs.start(spec, opts)
end

local function reported(result, err)
  if not result then
    notify.warn(err)
  end
  return result, err
end

function M.cancel(run_id)
  return reported(runs.cancel(run_id))
end

-- With text, writes it to the running program's stdin; without, asks for a line first.
function M.input(text, eof)
  if text then
    return reported(runs.input(text, eof))
  end
  vim.ui.input({ prompt = "stdin> " }, function(line)
    if line then
      reported(runs.input(line .. "\n", eof))
    end
  end)
end

function M.apply(paths, on_done)
  return reported(overlay.apply(paths, on_done))
end

function M.discard(on_done)
  return reported(overlay.discard(on_done))
end

function M.output()
  return output.show(true)
end

local function create_commands()
  local command = vim.api.nvim_create_user_command
  command("AirlockRun", function(opts)
    M.run({ range = opts.range, line1 = opts.line1, line2 = opts.line2, args = opts.fargs })
  end, { range = true, nargs = "*", desc = "Run the buffer, the range or the Markdown code block in a sandbox" })
  command("AirlockCancel", function(opts)
    M.cancel(opts.args ~= "" and opts.args or nil)
  end, { nargs = "?", complete = runs.active_ids, desc = "Cancel the latest (or the named) Airlock run" })
  command("AirlockApply", function(opts)
    M.apply(opts.fargs)
  end, { nargs = "*", complete = overlay.waiting_paths, desc = "Write an overlay run's changes to the workspace" })
  command("AirlockDiscard", function()
    M.discard()
  end, { nargs = 0, desc = "Drop an overlay run's changes" })
  command("AirlockOutput", function()
    M.output()
  end, { nargs = 0, desc = "Show Airlock's output buffer" })
  command("AirlockInput", function(opts)
    if opts.args ~= "" then
      M.input(opts.args .. "\n", opts.bang)
    elseif opts.bang then
      M.input("", true)
    else
      M.input(nil, false)
    end
  end, { nargs = "?", bang = true, desc = "Send a line (! closes stdin) to the running program" })
end

function M.setup(user_options)
  config.apply(user_options)
  if next(config.options.diagnostics) then
    vim.diagnostic.config(config.options.diagnostics, diagnostics.namespace)
  end
  for method, handler in pairs(NOTIFICATION_HANDLERS) do
    client.on_notification(method, handler)
  end
  client.on_exit(function(message)
    -- Each ended run reports the exit itself.
    if runs.on_server_exit(message) == 0 then
      notify.warn(message)
    end
  end)
  create_commands()
  vim.api.nvim_create_autocmd("VimLeavePre", {
    group = vim.api.nvim_create_augroup("airlock", { clear = true }),
    callback = function()
      client.stop(500)
    end,
  })
end

return M
