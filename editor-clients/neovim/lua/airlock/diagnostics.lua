-- Shows the server's textDocument/publishDiagnostics through vim.diagnostic, in Airlock's own
-- namespace so they never mix with a language server's.
local M = {}

M.namespace = vim.api.nvim_create_namespace("airlock")

-- LSP columns count UTF-16 code units unless the server chose another position encoding.
function M.byte_column(text, column, encoding)
  if encoding == "utf-8" or not text then
    return column
  end
  local units, byte = 0, 0
  while byte < #text and units < column do
    local lead = text:byte(byte + 1)
    local length = lead < 0x80 and 1 or lead < 0xE0 and 2 or lead < 0xF0 and 3 or 4
    units = units + ((encoding ~= "utf-32" and length == 4) and 2 or 1)
    byte = byte + length
  end
  return math.min(byte, #text)
end

local function line_text(bufnr, row)
  if not vim.api.nvim_buf_is_loaded(bufnr) then
    return nil
  end
  return vim.api.nvim_buf_get_lines(bufnr, row, row + 1, false)[1]
end

function M.from_lsp(bufnr, diagnostic, encoding)
  local start, finish = diagnostic.range.start, diagnostic.range["end"]
  return {
    lnum = start.line,
    col = M.byte_column(line_text(bufnr, start.line), start.character, encoding),
    end_lnum = finish.line,
    end_col = M.byte_column(line_text(bufnr, finish.line), finish.character, encoding),
    severity = diagnostic.severity or vim.diagnostic.severity.ERROR,
    message = diagnostic.message,
    source = diagnostic.source or "airlock",
    code = diagnostic.code,
  }
end

-- A buffer without a file name (a scratch buffer holding pasted code) has no file URI; this one names
-- it by number, so the diagnostics of a snippet run from it come back to it. Buffer numbers are never reused.
local UNNAMED_BUFFER_URI = "untitled:nvim-buffer-"

-- The URI the server is told a snippet came from, and publishes that snippet's diagnostics for.
function M.uri_of(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == "" then
    return UNNAMED_BUFFER_URI .. bufnr
  end
  return vim.uri_from_fname(vim.fn.fnamemodify(name, ":p"))
end

-- The buffer a published URI names; nil for an unnamed buffer that was wiped since its run.
local function buffer_of(uri)
  local unnamed = tonumber(uri:match("^" .. vim.pesc(UNNAMED_BUFFER_URI) .. "(%d+)$") or "")
  if unnamed then
    return vim.api.nvim_buf_is_valid(unnamed) and unnamed or nil
  end
  return vim.uri_to_bufnr(uri)
end

-- params: PublishDiagnosticsParams; encoding: the server's positionEncoding, if it named one.
function M.publish(params, encoding)
  local bufnr = buffer_of(params.uri)
  if not bufnr then
    return
  end
  local converted = {}
  for _, diagnostic in ipairs(params.diagnostics or {}) do
    if type(diagnostic.range) == "table" then
      table.insert(converted, M.from_lsp(bufnr, diagnostic, encoding))
    end
  end
  vim.diagnostic.set(M.namespace, bufnr, converted)
end

function M.clear(bufnr)
  vim.diagnostic.reset(M.namespace, bufnr)
end

return M
