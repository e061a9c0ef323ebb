-- Errors a run prints come back as diagnostics on the source buffer's lines.
local h = require("harness")
local s = require("support")
local client = require("airlock.client")
local diagnostics = require("airlock.diagnostics")

local PUBLISH = "textDocument/publishDiagnostics"

local function airlock_diagnostics(bufnr)
  return vim.diagnostic.get(bufnr, { namespace = diagnostics.namespace })
end

-- The bufnr's Airlock diagnostic whose message contains text; fails when there is none.
local function diagnostic_saying(bufnr, text)
  for _, diagnostic in ipairs(airlock_diagnostics(bufnr)) do
    if diagnostic.message:find(text, 1, true) then
      return diagnostic
    end
  end
  error(string.format("no diagnostic saying %q: %s", text, vim.inspect(airlock_diagnostics(bufnr))), 2)
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

-- Runs command, a run that must fail, and returns its diagnostic on bufnr saying text; skips the case
-- when the server published none.
local function failing_run_diagnostic(publications, command, bufnr, text)
  local run = s.run_to_end(command)
  h.eq("failed", run.result.status, "status")
  if publications() == 0 then
    h.skip("the server published no diagnostics for a failing run")
  end
  return diagnostic_saying(bufnr, text)
end

h.test("a snippet's traceback lands on the buffer line it came from, and a clean run clears it", function()
  counting_publications(function(publications)
    local bufnr = s.edit_file("diag.py", {
      'print("not run")', -- 1
      "def explode():", -- 2
      '    raise ValueError("boom at line three")', -- 3
      "explode()", -- 4
    })
    local found = failing_run_diagnostic(publications, "2,4AirlockRun", bufnr, "boom at line three")
    h.eq(2, found.lnum, "0-based line of the raise in the buffer")
    h.eq(vim.diagnostic.severity.ERROR, found.severity, "severity")
    h.eq("airlock", found.source, "source")

    vim.api.nvim_buf_set_lines(bufnr, 2, 3, false, { '    print("defused")' })
    local clean = s.run_to_end("2,4AirlockRun")
    h.eq("ok", clean.result.status, "status of the clean run")
    h.eq({}, airlock_diagnostics(bufnr), "diagnostics after the clean run")
  end)
end)

h.test("an error in a Markdown code block lands on its line of the Markdown buffer", function()
  counting_publications(function(publications)
    local bufnr = s.edit_file("suggestion.md", {
      "# A suggested fix", -- 1
      "",
      "```python", -- 3
      "x = 1", -- 4
      "y = x / 0", -- 5
      "```",
    })
    h.eq("markdown", vim.bo[bufnr].filetype, "filetype")
    vim.api.nvim_win_set_cursor(0, { 4, 0 })
    local found = failing_run_diagnostic(publications, "AirlockRun", bufnr, "ZeroDivisionError")
    h.eq(4, found.lnum, "0-based line of the division in the Markdown buffer")
  end)
end)

h.test("a scratch buffer without a file name gets its diagnostics too, and a clean run clears them", function()
  counting_publications(function(publications)
    local bufnr = s.scratch("python", { "x = 1", "y = x / 0" })
    h.eq("", vim.api.nvim_buf_get_name(bufnr), "buffer name")
    local found = failing_run_diagnostic(publications, "AirlockRun", bufnr, "ZeroDivisionError")
    h.eq(1, found.lnum, "0-based line of the division")
    vim.api.nvim_buf_set_lines(bufnr, 1, 2, false, { "y = x / 1" })
    h.eq("ok", s.run_to_end("AirlockRun").result.status, "status of the clean run")
    h.eq({}, airlock_diagnostics(bufnr), "diagnostics after the clean run")
  end)
end)
