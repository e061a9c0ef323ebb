-- :AirlockRun over the real server: what runs, what streams into the output buffer, how runs end.
local h = require("harness")
local s = require("support")
local output = require("airlock.output")

h.test("a saved buffer runs as its workspace file; output lands in the airlock buffer", function()
  s.edit_file("hello.py", { "import os", 'print("hello from", os.path.basename(__file__))' })
  local run = s.run_to_end("AirlockRun")
  h.eq("ok", run.result.status, "status")
  h.contains(s.run_output(run), "hello from hello.py", "output")
  h.contains(s.footer(run), "── ok · exit 0 ·", "footer")
  local name = vim.api.nvim_buf_get_name(output.bufnr())
  h.truthy(vim.fn.fnamemodify(name, ":t"):find("^airlock") or name:find("^airlock"), "output buffer name " .. name)
  h.truthy(vim.fn.bufwinid(output.bufnr()) ~= -1, "output buffer is shown in a window")
end)

h.test("an unsaved buffer runs as a snippet", function()
  s.scratch("python", { "total = sum(range(5))", 'print("total", total)' })
  local run = s.run_to_end("AirlockRun")
  h.eq("ok", run.result.status, "status")
  h.contains(s.run_output(run), "total 10", "output")
end)

h.test("a visual selection runs only its lines", function()
  s.scratch("python", { 'print("line one")', 'print("line two")', 'print("line three")', 'print("line four")' })
  vim.cmd("normal! 2GVj\27")
  local run = s.run_to_end("'<,'>AirlockRun")
  local text = s.run_output(run)
  h.contains(text, "line two", "output")
  h.contains(text, "line three", "output")
  h.not_contains(text, "line one", "output")
  h.not_contains(text, "line four", "output")
end)

h.test("in Markdown the fenced block under the cursor runs, as its fence's language", function()
  s.scratch("markdown", {
    "# Notes",
    "```python",
    'print("from the python block")',
    "```",
    "",
    "```bash",
    'echo "from the bash block: $BASH_VERSION" | cut -c1-25',
    "```",
  })
  vim.api.nvim_win_set_cursor(0, { 7, 0 })
  local run = s.run_to_end("AirlockRun")
  h.eq("bash", run.language, "language")
  local text = s.run_output(run)
  h.contains(text, "from the bash block: ", "output")
  h.not_contains(text, "python block", "output")
end)

h.test("outside any fenced block nothing runs", function()
  s.scratch("markdown", { "plain text", "```python", "print(1)", "```" })
  vim.api.nvim_win_set_cursor(0, { 1, 0 })
  local run, err = require("airlock").run({ bufnr = vim.api.nvim_get_current_buf() })
  h.eq(nil, run, "run")
  h.contains(err, "fenced code block", "reason")
end)

h.test("output streams while the program runs; escapes are stripped and stderr is marked", function()
  s.scratch("python", {
    "import sys, time",
    'print("\\033[1;31mfirst\\033[0m chunk", flush=True)',
    'sys.stderr.write("to stderr\\n"); sys.stderr.flush()',
    "time.sleep(2)",
    'print("second chunk")',
  })
  local run = s.start("AirlockRun")
  s.wait_output(run, "first chunk")
  h.truthy(run.state ~= "finished", "run still going when the first chunk arrived")
  s.wait_finished(run)
  local text = s.run_output(run)
  h.contains(text, "first chunk\n", "escape sequences removed")
  h.not_contains(text, "\27", "no ESC left")
  h.contains(text, "second chunk", "later output")
  local marks = vim.api.nvim_buf_get_extmarks(output.bufnr(), vim.api.nvim_create_namespace("airlock.output"), 0, -1, { details = true })
  local stderr_rows = {}
  for _, mark in ipairs(marks) do
    if mark[4].hl_group == "AirlockStderr" then
      stderr_rows[vim.api.nvim_buf_get_lines(output.bufnr(), mark[2], mark[2] + 1, false)[1]] = true
    end
  end
  h.truthy(stderr_rows["to stderr"], "stderr line highlighted")
  h.eq(nil, stderr_rows["second chunk"], "stdout line not highlighted as stderr")
end)

h.test("a failing program ends as failed with its exit code", function()
  s.scratch("python", { 'print("about to fail")', "raise SystemExit(3)" })
  local run = s.run_to_end("AirlockRun")
  h.eq("failed", run.result.status, "status")
  h.eq(3, run.result.exitCode, "exit code")
  h.contains(s.footer(run), "── failed · exit 3 ·", "footer")
end)

h.test(":AirlockCancel ends a long run through sandbox/exited", function()
  local run = s.start_sleeper()
  vim.cmd("AirlockCancel")
  s.wait_finished(run, 10000)
  h.eq("cancelled", run.result.status, "status")
  h.contains(s.footer(run), "── cancelled", "footer")
end)

-- Runs a program that asks for a name, gives it one with give_name(name), and checks the program's answer.
local function answer_name_prompt(name, give_name)
  s.scratch("python", { 'name = input("name? ")', 'print("hello, " + name)' })
  local run = s.start("AirlockRun")
  s.wait_output(run, "name? ")
  h.truthy(run.interactive, "run is interactive")
  give_name(name)
  s.wait_finished(run)
  h.eq("ok", run.result.status, "status")
  h.contains(s.run_output(run), string.format("name? %s\nhello, %s", name, name), "echoed input and the program's answer")
end

h.test(":AirlockInput writes to an interactive run's stdin", function()
  answer_name_prompt("Ada", function(name)
    vim.cmd("AirlockInput " .. name)
  end)
end)

h.test(":AirlockInput without text asks for the line at a prompt", function()
  answer_name_prompt("Grace", function(name)
    -- What the user types, waiting in the typeahead as if typed; the prompt reads it from there.
    vim.api.nvim_feedkeys(name .. "\r", "t", false)
    vim.cmd("AirlockInput")
  end)
end)

h.test(":AirlockOutput opens the output buffer in a split and moves the cursor into it", function()
  s.scratch("python", { 'print("shown again")' })
  local run = s.run_to_end("AirlockRun")
  vim.cmd("silent! only")
  h.eq(-1, vim.fn.bufwinid(output.bufnr()), "output window closed")
  vim.cmd("AirlockOutput")
  h.eq(output.bufnr(), vim.api.nvim_get_current_buf(), "cursor in the output buffer")
  h.eq(2, #vim.api.nvim_tabpage_list_wins(0), "shown in a split beside the source")
  h.contains(s.run_output(run), "shown again", "earlier output kept")
end)

h.test("a language the server does not run ends the run with the reason", function()
  s.scratch("markdown", { "```cobol", "DISPLAY 'HI'.", "```" })
  vim.api.nvim_win_set_cursor(0, { 2, 0 })
  local run = s.run_to_end("AirlockRun")
  h.eq("error", run.result.status, "status")
  h.contains(run.result.message, '"cobol"', "message names the language")
  h.contains(s.footer(run), "python", "footer lists what the server runs")
end)
