-- The connection to one `airlock serve` process: start, initialize, requests, notifications, stop.
-- Started lazily by the first command that needs it; started again after the server went away.
local config = require("airlock.config")
local notify = require("airlock.notify")

local M = {}

local CLIENT_VERSION = "0.1.0"

local notification_handlers = {}
local exit_handler = nil

-- state: nil (stopped) | "starting" | "ready" | "stopping"
local connection = { state = nil, rpc = nil, capabilities = nil, server_info = nil, waiting = {} }

function M.on_notification(method, handler)
  notification_handlers[method] = handler
end

function M.notification_handler(method)
  return notification_handlers[method]
end

-- handler(message) runs when the server process ends while the plugin did not ask it to.
function M.on_exit(handler)
  exit_handler = handler
end

-- Which RPC dispatchers Neovim calls from a fast (libuv) callback differs by release and by
-- dispatcher (0.7 schedules notifications but not on_exit). Calling directly when already on the main
-- loop, and scheduling otherwise, keeps notifications and responses in arrival order.
local function on_main_loop(fn)
  return function(...)
    if vim.in_fast_event() then
      local args = { n = select("#", ...), ... }
      vim.schedule(function()
        fn(unpack(args, 1, args.n))
      end)
    else
      fn(...)
    end
  end
end

-- vim.lsp.rpc.start took (cmd, args, dispatchers, extra) up to 0.9 and (argv, dispatchers, extra) since 0.10.
local function start_rpc(cmd, dispatchers, extra)
  if vim.fn.has("nvim-0.10") == 1 then
    return vim.lsp.rpc.start(cmd, dispatchers, extra)
  end
  return vim.lsp.rpc.start(cmd[1], vim.list_slice(cmd, 2), dispatchers, extra)
end

local function flush_waiting(err)
  local waiting = connection.waiting
  connection.waiting = {}
  for _, callback in ipairs(waiting) do
    callback(err)
  end
end

local function handle_exit(code, signal)
  local expected = connection.state == "stopping"
  local was_starting = connection.state == "starting"
  connection.state, connection.rpc, connection.capabilities = nil, nil, nil
  local message = string.format("the server exited (code %d, signal %d)", code or -1, signal or 0)
  if was_starting then
    flush_waiting(message .. " before it finished initializing; run :checkhealth airlock")
  end
  if not expected and exit_handler then
    exit_handler(message)
  end
end

local function dispatchers()
  return {
    notification = on_main_loop(function(method, params)
      local handler = notification_handlers[method]
      if handler then
        handler(params)
      end
    end),
    on_exit = on_main_loop(handle_exit),
    on_error = on_main_loop(function(code, err)
      notify.error(string.format("RPC error %s: %s", tostring(code), vim.inspect(err)))
    end),
  }
end

local function initialize_params()
  return {
    processId = vim.fn.getpid(),
    clientInfo = { name = "airlock.nvim", version = CLIENT_VERSION },
    rootUri = vim.NIL,
    capabilities = {
      general = { positionEncodings = { "utf-16" } },
      textDocument = { publishDiagnostics = {} },
    },
  }
end

local function spawn()
  local cmd = config.options.cmd
  if type(cmd) ~= "table" or #cmd == 0 then
    return nil, "the `cmd` option must be a list like { \"airlock\", \"serve\" }"
  end
  if vim.fn.executable(cmd[1]) ~= 1 then
    return nil,
      string.format(
        "server binary %q is not an executable on PATH; build it (cmake --build build --target airlock) "
          .. "or set `cmd` in require(\"airlock\").setup()",
        cmd[1]
      )
  end
  local ok, rpc = pcall(start_rpc, cmd, dispatchers(), { env = config.options.cmd_env })
  if not ok or not rpc then
    return nil, string.format("could not start %s: %s", table.concat(cmd, " "), tostring(rpc))
  end
  return rpc
end

-- callback(err) runs once the server answered initialize (err nil) or could not be started.
function M.ensure_started(callback)
  if connection.state == "ready" then
    return callback(nil)
  end
  if connection.state == "stopping" then
    return callback("airlock server is shutting down; try again in a moment")
  end
  table.insert(connection.waiting, callback)
  if connection.state == "starting" then
    return
  end
  local rpc, err = spawn()
  if not rpc then
    return flush_waiting(err)
  end
  connection.state, connection.rpc = "starting", rpc
  rpc.request("initialize", initialize_params(), function(init_err, result)
    if connection.rpc ~= rpc then
      return
    end
    if init_err then
      connection.state = "stopping"
      M.kill()
      return flush_waiting("initialize failed: " .. tostring(init_err.message or vim.inspect(init_err)))
    end
    connection.capabilities = result and result.capabilities or {}
    connection.server_info = result and result.serverInfo
    rpc.notify("initialized", vim.empty_dict())
    connection.state = "ready"
    flush_waiting(nil)
  end)
end

function M.is_ready()
  return connection.state == "ready"
end

function M.capabilities()
  return connection.capabilities
end

function M.server_info()
  return connection.server_info
end

function M.sandbox_capabilities()
  return (connection.capabilities or {}).sandbox or {}
end

-- Returns the request id, or nil and why it could not be sent.
function M.request(method, params, callback)
  if connection.state ~= "ready" then
    return nil, "airlock server is not running"
  end
  local ok, id = connection.rpc.request(method, params, on_main_loop(callback))
  if not ok then
    return nil, "airlock server connection is closing"
  end
  return id
end

function M.notify(method, params)
  if connection.state ~= "ready" then
    return false
  end
  return connection.rpc.notify(method, params)
end

function M.kill()
  local rpc = connection.rpc
  if not rpc then
    return
  end
  if rpc.terminate then
    rpc.terminate()
  elseif rpc.handle and not rpc.handle:is_closing() then
    rpc.handle:kill(15)
  end
end

-- Asks the server to shut down (it kills every running sandbox), waiting at most timeout_ms for it.
function M.stop(timeout_ms)
  if connection.state ~= "ready" then
    M.kill()
    return
  end
  local rpc = connection.rpc
  connection.state = "stopping"
  local answered = false
  rpc.request("shutdown", nil, function()
    answered = true
  end)
  vim.wait(timeout_ms or 1000, function()
    return answered
  end, 10)
  rpc.notify("exit", nil)
  local exited = vim.wait(timeout_ms or 1000, function()
    return connection.rpc ~= rpc
  end, 10)
  if not exited then
    M.kill()
  end
end

return M
