-- Decides what one :AirlockRun runs: the whole buffer, a range of lines, or the Markdown code block
-- under the cursor, in which workspace folder, as which language, and where its lines came from.
local config = require("airlock.config")
local diagnostics = require("airlock.diagnostics")
local language = require("airlock.language")
local markdown = require("airlock.markdown")

local uv = vim.uv or vim.loop

local M = {}

local function without_trailing_slash(path)
  if #path > 1 then
    return (path:gsub("/+$", ""))
  end
  return path
end

local function real_path(path)
  return without_trailing_slash(uv.fs_realpath(path) or path)
end

local function nearest_root(dir, markers)
  while true do
    for _, marker in ipairs(markers or {}) do
      if uv.fs_stat(dir .. "/" .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ":h")
    if parent == dir then
      return nil
    end
    dir = parent
  end
end

function M.workspace_folder(bufnr)
  local root = config.options.root_dir
  if type(root) == "function" then
    root = root(bufnr)
  end
  if type(root) == "string" and root ~= "" then
    return real_path(vim.fn.fnamemodify(root, ":p"))
  end
  local name = vim.api.nvim_buf_get_name(bufnr)
  local start = name ~= "" and vim.fn.fnamemodify(name, ":p:h") or vim.fn.getcwd()
  return real_path(nearest_root(start, config.options.root_markers) or vim.fn.getcwd())
end

-- The buffer's file relative to workspace, when the buffer is that file as saved and lies inside it.
local function saved_file_in(bufnr, workspace)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == "" or vim.bo[bufnr].buftype ~= "" or vim.bo[bufnr].modified or not uv.fs_stat(name) then
    return nil
  end
  local path = real_path(name)
  local prefix = workspace == "/" and "/" or workspace .. "/"
  if path:sub(1, #prefix) ~= prefix then
    return nil
  end
  return path:sub(#prefix + 1)
end

local function display_name(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  return name == "" and "[No Name]" or vim.fn.fnamemodify(name, ":~:.")
end

local function snippet(bufnr, first, last, lang, label)
  local lines = vim.api.nvim_buf_get_lines(bufnr, first - 1, last, false)
  return {
    code = table.concat(lines, "\n") .. "\n",
    language = lang,
    source = { uri = diagnostics.uri_of(bufnr), line = first - 1 },
    label = label,
  }
end

local function markdown_block(bufnr, row, last_row)
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  local found = markdown.block_at(lines, row)
  if not found or (last_row and last_row > found.last + 1) then
    return nil, "put the cursor (or the whole range) inside a fenced code block"
  end
  local lang = language.for_fence(found.language)
  if not lang then
    return nil, string.format("the code block at line %d names no language (write ```python, ```bash, ...)", found.first - 1)
  end
  return found, lang
end

local function from_markdown(bufnr, opts)
  local win = vim.api.nvim_get_current_buf() == bufnr and vim.api.nvim_get_current_win() or vim.fn.bufwinid(bufnr)
  local cursor_row = opts.range > 0 and opts.line1 or (win ~= -1 and vim.api.nvim_win_get_cursor(win)[1] or 1)
  local found, lang = markdown_block(bufnr, cursor_row, opts.range > 0 and opts.line2 or nil)
  if not found then
    return nil, lang
  end
  local first, last = found.first, found.last
  if opts.range > 0 then
    first, last = math.max(opts.line1, found.first), math.min(opts.line2, found.last)
  end
  if last < first then
    return nil, "the code block is empty"
  end
  return snippet(bufnr, first, last, lang, string.format("%s:%d-%d (%s block)", display_name(bufnr), first, last, lang))
end

local function from_code_buffer(bufnr, opts, workspace)
  local lang = language.for_filetype(vim.bo[bufnr].filetype, bufnr)
  if opts.range > 0 then
    if not lang then
      return nil, string.format("no language for filetype %q; set `languages` in setup()", vim.bo[bufnr].filetype)
    end
    local label = string.format("%s:%d-%d", display_name(bufnr), opts.line1, opts.line2)
    return snippet(bufnr, opts.line1, opts.line2, lang, label)
  end
  local file = saved_file_in(bufnr, workspace)
  if file then
    return { file = file, language = lang, label = file }
  end
  if not lang then
    return nil, string.format("no language for filetype %q; set `languages` in setup() or save the file", vim.bo[bufnr].filetype)
  end
  return snippet(bufnr, 1, vim.api.nvim_buf_line_count(bufnr), lang, display_name(bufnr))
end

-- opts: { bufnr, range = 0|1|2, line1, line2 } as a user command gets them.
-- Returns { workspace, bufnr, label, language, code | file, source? } or nil and the reason.
function M.describe(opts)
  local bufnr = opts.bufnr or vim.api.nvim_get_current_buf()
  opts = vim.tbl_extend("keep", opts, { range = 0, line1 = 1, line2 = 1 })
  local workspace = M.workspace_folder(bufnr)
  local spec, err
  if vim.bo[bufnr].filetype == "markdown" then
    spec, err = from_markdown(bufnr, opts)
  else
    spec, err = from_code_buffer(bufnr, opts, workspace)
  end
  if not spec then
    return nil, err
  end
  spec.bufnr, spec.workspace = bufnr, workspace
  return spec
end

return M
