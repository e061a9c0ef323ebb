-- Steps the client tests share: opening buffers in the workspace, running them, reading what a run wrote.
local h = require("harness")
local output = require("airlock.output")
local runs = require("airlock.runs")

local M = {}

-- Opens (and saves) a file of the workspace with the given lines.
function M.edit_file(relative_path, lines)
  local path = h.workspace .. "/" .. relative_path
  h.write_file(path, table.concat(lines, "\n") .. "\n")
  vim.cmd("edit! " .. vim.fn.fnameescape(path))
  return vim.api.nvim_get_current_buf(), path
end

-- A buffer that is not a saved file: it runs as a snippet.
function M.scratch(filetype, lines)
  vim.cmd("enew!")
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = filetype
  vim.api.nvim_buf_set_lines(bufnr, 0, -1, false, lines)
  return bufnr
end

-- Runs an Ex command that starts a run and returns that run.
function M.start(command)
  local before = runs.latest()
  vim.cmd(command)
  local run = runs.latest()
  h.truthy(run and run ~= before, command .. " started a run")
  return run
end

function M.wait_finished(run, timeout_ms)
  h.wait_for("run " .. run.id .. " to finish", function()
    return run.state == "finished"
  end, timeout_ms)
  return run.result
end

function M.run_to_end(command, timeout_ms)
  local run = M.start(command)
  M.wait_finished(run, timeout_ms)
  return run
end

function M.output_lines()
  return vim.api.nvim_buf_get_lines(output.bufnr(), 0, -1, false)
end

-- The lines between a run's header and the next header or footer (lines starting with "── ").
function M.run_output(run)
  local lines, collected, inside = M.output_lines(), {}, false
  for _, line in ipairs(lines) do
    if inside then
      if vim.startswith(line, "── ") then
        break
      end
      table.insert(collected, line)
    elseif vim.startswith(line, "── airlock " .. run.id .. " ") then
      inside = true
    end
  end
  return table.concat(collected, "\n")
end

function M.wait_output(run, text)
  h.wait_for(string.format("%q in the output of %s", text, run.id), function()
    return M.run_output(run):find(text, 1, true) ~= nil
  end)
end

-- Starts a program that prints "sleeping" and then sleeps for two minutes; returns once it printed.
function M.start_sleeper()
  M.scratch("python", { "import time", 'print("sleeping", flush=True)', "time.sleep(120)" })
  local run = M.start("AirlockRun")
  M.wait_output(run, "sleeping")
  return run
end

-- The footer lines of run (from its "── <status>" line to the next blank line or header).
function M.footer(run)
  local lines, start = M.output_lines(), nil
  for index, line in ipairs(lines) do
    if vim.startswith(line, "── airlock " .. run.id .. " ") then
      start = index
    elseif start and index > start and vim.startswith(line, "── ") then
      local footer = { line }
      for follow = index + 1, #lines do
        if not vim.startswith(lines[follow], "   ") then
          break
        end
        table.insert(footer, lines[follow])
      end
      return table.concat(footer, "\n")
    end
  end
  return nil
end

return M
