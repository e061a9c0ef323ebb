-- The output buffer: one scratch buffer that collects every run's streamed output, shown in a split.
-- Streamed text may end mid-line; the next chunk of the same run continues that line, while a chunk
-- of another run, or a header or footer, starts a new one.
local config = require("airlock.config")

local M = {}

M.BUFFER_NAME = "airlock://output"

local namespace = vim.api.nvim_create_namespace("airlock.output")

local buffer = { bufnr = nil, has_content = false, open_line_run = nil }

local function define_highlights()
  for group, target in pairs({
    AirlockHeader = "Title",
    AirlockFooterOk = "Comment",
    AirlockFooterFailed = "DiagnosticError",
    AirlockStderr = "WarningMsg",
    AirlockInput = "Question",
    AirlockNote = "Comment",
  }) do
    vim.cmd(string.format("highlight default link %s %s", group, target))
  end
end

local function set_buffer_keymaps(bufnr)
  local function map(lhs, action, desc)
    vim.keymap.set("n", lhs, function()
      require("airlock")[action]()
    end, { buffer = bufnr, desc = desc, nowait = true })
  end
  map("<C-c>", "cancel", "Cancel the latest Airlock run")
  map("i", "input", "Send a line to the running program's stdin")
  vim.keymap.set("n", "q", "<cmd>close<cr>", { buffer = bufnr, desc = "Close the Airlock output window" })
end

local function create_buffer()
  local existing = vim.fn.bufnr(M.BUFFER_NAME)
  local bufnr = existing ~= -1 and existing or vim.api.nvim_create_buf(false, true)
  if existing == -1 then
    vim.api.nvim_buf_set_name(bufnr, M.BUFFER_NAME)
  end
  vim.bo[bufnr].buftype = "nofile"
  vim.bo[bufnr].bufhidden = "hide"
  vim.bo[bufnr].swapfile = false
  vim.bo[bufnr].filetype = "airlock"
  vim.bo[bufnr].modifiable = false
  set_buffer_keymaps(bufnr)
  define_highlights()
  return bufnr
end

function M.bufnr()
  if not (buffer.bufnr and vim.api.nvim_buf_is_valid(buffer.bufnr)) then
    buffer = { bufnr = create_buffer(), has_content = false, open_line_run = nil }
  end
  return buffer.bufnr
end

local function windows_showing(bufnr)
  return vim.tbl_filter(function(win)
    return vim.api.nvim_win_get_buf(win) == bufnr
  end, vim.api.nvim_tabpage_list_wins(0))
end

-- Opens the output split when it is not visible in this tab page; keeps the cursor where it was
-- unless focus is set.
function M.show(focus)
  local bufnr = M.bufnr()
  local win = windows_showing(bufnr)[1]
  if not win then
    local previous = vim.api.nvim_get_current_win()
    local layout = config.options.output
    vim.cmd(string.format("%s %dsplit", layout.position, layout.height))
    win = vim.api.nvim_get_current_win()
    vim.api.nvim_win_set_buf(win, bufnr)
    vim.wo[win].number = false
    vim.wo[win].relativenumber = false
    vim.wo[win].wrap = true
    vim.api.nvim_win_set_cursor(win, { vim.api.nvim_buf_line_count(bufnr), 0 })
    if not focus then
      vim.api.nvim_set_current_win(previous)
    end
  end
  if focus then
    vim.api.nvim_set_current_win(win)
  end
  return win
end

-- Windows that showed the last line before a write keep showing it after.
local function followers(bufnr)
  local last = vim.api.nvim_buf_line_count(bufnr)
  return vim.tbl_filter(function(win)
    return win ~= vim.api.nvim_get_current_win() or vim.api.nvim_win_get_cursor(win)[1] == last
  end, windows_showing(bufnr))
end

local function edit(change)
  local bufnr = M.bufnr()
  local follow = followers(bufnr)
  vim.bo[bufnr].modifiable = true
  local ok, err = pcall(change, bufnr)
  vim.bo[bufnr].modifiable = false
  if not ok then
    error(err)
  end
  local last = vim.api.nvim_buf_line_count(bufnr)
  for _, win in ipairs(follow) do
    vim.api.nvim_win_set_cursor(win, { last, 0 })
  end
end

-- Adds lines after everything written so far; returns the 0-based row of the first one.
local function add_lines(bufnr, lines)
  local first = buffer.has_content and vim.api.nvim_buf_line_count(bufnr) or 0
  vim.api.nvim_buf_set_lines(bufnr, first, -1, false, lines)
  buffer.has_content = true
  return first
end

local function highlight_pieces(bufnr, group, pieces, row, col)
  for index, piece in ipairs(pieces) do
    local start = index == 1 and col or 0
    vim.api.nvim_buf_add_highlight(bufnr, namespace, group, row + index - 1, start, start + #piece)
  end
end

-- Appends streamed text of run_id; group (optional) highlights it.
function M.write(run_id, text, group)
  if text == "" then
    return
  end
  local ends_line = text:sub(-1) == "\n"
  local pieces = vim.split(ends_line and text:sub(1, -2) or text, "\n", { plain = true })
  edit(function(bufnr)
    local row, col
    if buffer.open_line_run == run_id then
      row = vim.api.nvim_buf_line_count(bufnr) - 1
      col = #vim.api.nvim_buf_get_lines(bufnr, row, row + 1, false)[1]
      vim.api.nvim_buf_set_text(bufnr, row, col, row, col, pieces)
    else
      row, col = add_lines(bufnr, pieces), 0
    end
    buffer.open_line_run = (not ends_line) and run_id or nil
    if group then
      highlight_pieces(bufnr, group, pieces, row, col)
    end
  end)
end

-- Appends whole lines (headers, footers, notes), each highlighted with group.
function M.lines(lines, group)
  edit(function(bufnr)
    local row = add_lines(bufnr, lines)
    buffer.open_line_run = nil
    for offset = 0, #lines - 1 do
      vim.api.nvim_buf_add_highlight(bufnr, namespace, group, row + offset, 0, -1)
    end
  end)
end

function M.has_content()
  return buffer.has_content
end

return M
