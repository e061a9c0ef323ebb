-- Review of an overlay run: its changes wait in the server's per-run layer until the user applies
-- them to the workspace (:AirlockApply) or drops them (:AirlockDiscard). Only the latest run with
-- changes is offered; a newer one replaces it.
local client = require("airlock.client")
local notify = require("airlock.notify")
local output = require("airlock.output")
local summary = require("airlock.summary")

local M = {}

-- { run_id, changes = { {path, kind}, ... } } or nil
local waiting = nil

function M.offer(run)
  local changes = run.result and run.result.changes
  if type(changes) == "table" and #changes > 0 then
    waiting = { run_id = run.id, changes = vim.deepcopy(changes) }
  end
end

function M.forget()
  waiting = nil
end

function M.waiting()
  return waiting
end

function M.waiting_paths()
  return vim.tbl_map(function(change)
    return change.path
  end, waiting and waiting.changes or {})
end

local function without_paths(changes, paths)
  local gone = {}
  for _, path in ipairs(paths) do
    gone[path] = true
  end
  return vim.tbl_filter(function(change)
    return not gone[change.path]
  end, changes)
end

local function review_request(method, params, on_result)
  if not waiting then
    return nil, 'no run has changes waiting; run with policy = { workspace = "overlay" } first'
  end
  local review = waiting
  local request_id, err = client.request(method, params(review), function(rpc_err, result)
    if rpc_err then
      local message = string.format("%s failed: %s (error %s)", method, rpc_err.message or "?", tostring(rpc_err.code))
      output.lines({ "── " .. message .. " ──" }, "AirlockFooterFailed")
      return notify.error(message)
    end
    on_result(review, result)
  end)
  if not request_id then
    return nil, err
  end
  return review
end

-- paths: relative paths to apply, or nil for all. on_done(result) is optional.
function M.apply(paths, on_done)
  local selected = paths and #paths > 0 and paths or nil
  return review_request("sandbox/applyChanges", function(review)
    return { runId = review.run_id, paths = selected }
  end, function(review, result)
    local applied, conflicts, failed = result.applied or {}, result.conflicts or {}, result.failed or {}
    -- Applying everything ends the review, conflicts and failures included: the server has freed the layer.
    review.changes = selected and without_paths(review.changes, applied) or {}
    if #review.changes == 0 and waiting == review then
      waiting = nil
    end
    local line = string.format("── applied %d change(s) of %s", #applied, review.run_id)
    if #applied > 0 then
      line = line .. ": " .. table.concat(applied, ", ")
    end
    local lines = { line .. " ──" }
    if #conflicts > 0 then
      table.insert(lines, "   not applied, changed in the workspace since the run started: " .. table.concat(conflicts, ", "))
    end
    for _, failure in ipairs(failed) do
      table.insert(lines, string.format("   not applied: %s (%s)", failure.path, failure.message))
    end
    if #review.changes > 0 then
      table.insert(lines, "   still waiting: " .. summary.change_list(review.changes))
    end
    output.lines(lines, (#conflicts > 0 or #failed > 0) and "AirlockFooterFailed" or "AirlockNote")
    -- Buffers showing applied files reload from disk.
    vim.cmd("checktime")
    if on_done then
      on_done(result)
    end
  end)
end

function M.discard(on_done)
  return review_request("sandbox/discardChanges", function(review)
    return { runId = review.run_id }
  end, function(review)
    if waiting == review then
      waiting = nil
    end
    output.lines({ string.format("── discarded the changes of %s ──", review.run_id) }, "AirlockNote")
    if on_done then
      on_done()
    end
  end)
end

return M
