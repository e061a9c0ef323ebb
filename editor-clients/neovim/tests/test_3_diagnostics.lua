-- Errors a run prints come back as diagnostics on the source buffer's lines.
local h = require("harness")
local s = require("support")
local diagnostics = require("airlock.diagnostics")

local function airlock_diagnostics(bufnr)
  return vim.diagnostic.get(bufnr, { namespace = diagnostics.namespace })
end

h.test("a snippet's traceback lands on the buffer line it came from, and a clean run clears it", function()
  local bufnr = s.edit_file("diag.py", {
    'print("not run")', -- 1
    "def explode():", -- 2
    '    raise ValueError("boom at line three")', -- 3
    "explode()", -- 4
  })
  local run = s.run_to_end("2,4AirlockRun")
  h.eq("failed", run.result.status, "status")
  h.wait_for("a diagnostic in the source buffer", function()
    return #airlock_diagnostics(bufnr) > 0
  end, 5000)
  local found = nil
  for _, diagnostic in ipairs(airlock_diagnostics(bufnr)) do
    if diagnostic.message:find("boom at line three", 1, true) then
      found = diagnostic
    end
  end
  h.truthy(found, "diagnostic with the exception's message: " .. vim.inspect(airlock_diagnostics(bufnr)))
  h.eq(2, found.lnum, "0-based line of the raise in the buffer")
  h.eq(vim.diagnostic.severity.ERROR, found.severity, "severity")

  vim.api.nvim_buf_set_lines(bufnr, 2, 3, false, { '    print("defused")' })
  local clean = s.run_to_end("2,4AirlockRun")
  h.eq("ok", clean.result.status, "status of the clean run")
  h.eq({}, airlock_diagnostics(bufnr), "diagnostics after the clean run")
end)
