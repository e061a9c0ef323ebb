-- The plugin's pure pieces, without a server: escape stripping, fence finding, position conversion,
-- language names, footers.
local h = require("harness")
local ansi = require("airlock.ansi")
local diagnostics = require("airlock.diagnostics")
local language = require("airlock.language")
local markdown = require("airlock.markdown")
local summary = require("airlock.summary")

h.test("ansi: colours, titles and controls are removed", function()
  local stream = ansi.new_stream()
  h.eq("red plain\n", ansi.strip(stream, "\27[1;31mred\27[0m plain\n"), "CSI")
  h.eq("after\n", ansi.strip(stream, "\27]0;window title\7after\n"), "OSC with BEL")
  h.eq("link\n", ansi.strip(stream, "\27]8;;http://x\27\\link\27]8;;\27\\\n"), "OSC with ST")
  h.eq("a\nb\nc\n", ansi.strip(stream, "a\r\nb\rc\n"), "carriage returns")
  h.eq("tab\tkept", ansi.strip(stream, "tab\tkept\8\0"), "control bytes")
end)

h.test("ansi: a sequence cut between chunks is held back", function()
  local stream = ansi.new_stream()
  h.eq("before ", ansi.strip(stream, "before \27[3"), "first half")
  h.eq("coloured", ansi.strip(stream, "1mcoloured"), "second half")
  h.eq("line", ansi.strip(stream, "line\r"), "CR held")
  h.eq("\nnext", ansi.strip(stream, "\nnext"), "CRLF joined")
  h.eq("", ansi.strip(stream, "\27"), "lone ESC held")
  h.eq("", ansi.finish(stream), "unfinished sequence dropped at the end")
end)

h.test("markdown: finds the block around a line, and only inside blocks", function()
  local lines = {
    "# Title", -- 1
    "```python", -- 2
    "print(1)", -- 3
    "```", -- 4
    "text", -- 5
    "~~~~ {.bash}", -- 6
    "echo hi", -- 7
    "```", -- 8: not a closing fence for ~~~~
    "~~~~", -- 9
    "   ```js title=x", -- 10
    "console.log(1)", -- 11
  }
  h.eq({ info = "python", language = "python", first = 3, last = 3 }, markdown.block_at(lines, 3), "python block")
  h.eq(markdown.block_at(lines, 2), markdown.block_at(lines, 4), "fence lines belong to the block")
  h.eq(nil, markdown.block_at(lines, 5), "between blocks")
  h.eq({ info = "{.bash}", language = "bash", first = 7, last = 8 }, markdown.block_at(lines, 7), "tilde block")
  h.eq({ info = "js title=x", language = "js", first = 11, last = 11 }, markdown.block_at(lines, 11), "open block")
end)

h.test("diagnostics: UTF-16 columns become byte columns", function()
  local text = "é😀x"
  h.eq(0, diagnostics.byte_column(text, 0), "start")
  h.eq(2, diagnostics.byte_column(text, 1), "after a 2-byte character")
  h.eq(6, diagnostics.byte_column(text, 3), "after a surrogate pair")
  h.eq(7, diagnostics.byte_column(text, 99), "clamped to the line")
  h.eq(3, diagnostics.byte_column(text, 3, "utf-8"), "utf-8 is taken as it is")
end)

h.test("diagnostics: a publishDiagnostics message lands in the buffer of its URI, and an empty one clears it", function()
  local path = h.workspace .. "/published.py"
  h.write_file(path, "x = 1\ny = 'é' + z\n")
  vim.cmd("edit! " .. vim.fn.fnameescape(path))
  local bufnr = vim.api.nvim_get_current_buf()
  local uri = vim.uri_from_fname(path)
  diagnostics.publish({
    uri = uri,
    diagnostics = {
      {
        range = { start = { line = 1, character = 10 }, ["end"] = { line = 1, character = 11 } },
        severity = 1,
        source = "airlock",
        message = "NameError: name 'z' is not defined",
      },
    },
  })
  local shown = vim.diagnostic.get(bufnr, { namespace = diagnostics.namespace })
  h.eq(1, #shown, "count")
  h.eq({ 1, 11, "NameError: name 'z' is not defined" }, { shown[1].lnum, shown[1].col, shown[1].message }, "position and message")
  diagnostics.publish({ uri = uri, diagnostics = {} })
  h.eq({}, vim.diagnostic.get(bufnr, { namespace = diagnostics.namespace }), "after an empty list")
end)

h.test("language: filetypes and fence names map to the server's names", function()
  h.eq("python", language.for_filetype("python"), "python")
  h.eq(nil, language.for_filetype("lua"), "unknown filetype")
  h.eq("javascript", language.for_fence("js"), "js alias")
  h.eq("cpp", language.for_fence("C++"), "c++ alias")
  h.eq("ruby", language.for_fence("ruby"), "other names pass through")
  h.eq(nil, language.unsupported_reason("python", { "bash", "python" }), "accepted")
  h.contains(language.unsupported_reason("ruby", { "bash", "python" }), "bash, python", "reason lists accepted")
end)

h.test("summary: the footer says status, exit, limit, message and changes", function()
  local run = { id = "r1", isolation = "process", workspace = "overlay" }
  local lines = summary.footer(run, {
    status = "limit",
    exitCode = vim.NIL,
    signal = "SIGKILL",
    limit = "memory",
    durationMs = 1500,
    truncated = true,
    message = "memory limit of 64 MB reached",
    changes = { { path = "a.txt", kind = "added" }, { path = "b.txt", kind = "modified" } },
  })
  h.eq(
    "── stopped at a limit · signal SIGKILL · limit: memory · 1.5 s · process sandbox, overlay workspace · output truncated ──",
    lines[1],
    "status line"
  )
  h.eq("   memory limit of 64 MB reached", lines[2], "message")
  h.eq("   changes kept aside: A a.txt, M b.txt", lines[3], "changes")
  h.eq({ "── ok · exit 0 · 41 ms ──" }, summary.footer({ id = "r2" }, { status = "ok", exitCode = 0, durationMs = 41.7 }), "ok footer")
end)

h.test("summary: the header names the run, what ran, its language and the time", function()
  local line = summary.header({ id = "r3", label = "hello.py", language = "python" })
  h.truthy(line:find("^── airlock r3 · hello%.py %(python%) · %d%d:%d%d:%d%d ──$"), "header " .. line)
end)

h.test("doc/airlock.txt: valid help tags, one for every :Airlock command", function()
  local doc = vim.api.nvim_get_runtime_file("doc/airlock.txt", false)[1]
  h.truthy(doc, "doc/airlock.txt on 'runtimepath'")
  -- :helptags writes a tags file next to the help; a copy keeps the plugin folder clean.
  local copy = vim.fn.tempname() .. "/doc"
  vim.fn.mkdir(copy, "p")
  h.write_file(copy .. "/airlock.txt", h.read_file(doc))
  vim.cmd("helptags " .. vim.fn.fnameescape(copy))
  local tags = "\n" .. (h.read_file(copy .. "/tags") or "")
  h.remove_tree(vim.fn.fnamemodify(copy, ":h"))
  local commands = vim.tbl_filter(function(name)
    return vim.startswith(name, "Airlock")
  end, vim.tbl_keys(vim.api.nvim_get_commands({})))
  h.truthy(#commands >= 6, "setup() defined the commands: " .. table.concat(commands, ", "))
  for _, tag in ipairs(vim.list_extend({ "airlock", "airlock-setup", "airlock-health" }, vim.tbl_map(function(name)
    return ":" .. name
  end, commands))) do
    h.contains(tags, "\n" .. tag .. "\tairlock.txt\t", "tags file")
  end
end)
