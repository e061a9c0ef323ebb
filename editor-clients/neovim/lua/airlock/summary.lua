-- The header and footer lines that frame one run in the output buffer.
local M = {}

local STATUS_WORDS = {
  ok = "ok",
  failed = "failed",
  cancelled = "cancelled",
  timeout = "timed out",
  limit = "stopped at a limit",
  error = "error",
}

local CHANGE_MARKS = { added = "A", modified = "M", deleted = "D" }

-- JSON null may arrive as vim.NIL depending on how the message was decoded.
local function present(value)
  if value == nil or value == vim.NIL then
    return nil
  end
  return value
end

local function duration(ms)
  if ms < 1000 then
    return string.format("%d ms", math.floor(ms))
  end
  return string.format("%.1f s", ms / 1000)
end

function M.header(run)
  local what = run.language and string.format("%s (%s)", run.label, run.language) or run.label
  return string.format("── airlock %s · %s · %s ──", run.id, what, os.date("%H:%M:%S"))
end

function M.change_list(changes)
  local items = {}
  for _, change in ipairs(changes) do
    table.insert(items, (CHANGE_MARKS[change.kind] or "?") .. " " .. change.path)
  end
  return table.concat(items, ", ")
end

-- run: the run as the plugin knows it (isolation and workspace from sandbox/started);
-- result: its RunResult. Returns the footer's lines.
function M.footer(run, result)
  local parts = { STATUS_WORDS[result.status] or tostring(result.status) }
  if present(result.exitCode) then
    table.insert(parts, "exit " .. tostring(result.exitCode))
  end
  if present(result.signal) then
    table.insert(parts, "signal " .. tostring(result.signal))
  end
  if present(result.limit) then
    table.insert(parts, "limit: " .. tostring(result.limit))
  end
  if present(result.durationMs) then
    table.insert(parts, duration(result.durationMs))
  end
  if run.isolation then
    table.insert(parts, string.format("%s sandbox, %s workspace", run.isolation, run.workspace or "?"))
  end
  if result.truncated then
    table.insert(parts, "output truncated")
  end
  local lines = { "── " .. table.concat(parts, " · ") .. " ──" }
  local message = present(result.message)
  if message and message ~= "" then
    for _, line in ipairs(vim.split(message, "\n", { plain = true })) do
      table.insert(lines, "   " .. line)
    end
  end
  local changes = present(result.changes)
  if changes and #changes > 0 then
    table.insert(lines, "   changes kept aside: " .. M.change_list(changes))
    table.insert(lines, "   :AirlockApply writes them to the workspace, :AirlockDiscard drops them")
  end
  return lines
end

return M
