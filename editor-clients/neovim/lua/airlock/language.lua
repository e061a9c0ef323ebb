-- Names the server's language for a buffer's filetype or a Markdown fence's info string.
local config = require("airlock.config")

local M = {}

local BY_FILETYPE = {
  python = "python",
  javascript = "javascript",
  bash = "bash",
  sh = "sh",
  c = "c",
  cpp = "cpp",
}

-- Fence names people write for the same languages.
local FENCE_ALIASES = {
  py = "python",
  python3 = "python",
  js = "javascript",
  node = "javascript",
  shell = "sh",
  ["c++"] = "cpp",
  cxx = "cpp",
  cc = "cpp",
}

local function filetype_table()
  return vim.tbl_extend("force", BY_FILETYPE, config.options.languages or {})
end

function M.for_filetype(filetype, bufnr)
  -- Vim's sh syntax marks bash scripts with b:is_bash instead of a filetype of their own.
  if filetype == "sh" and bufnr and vim.b[bufnr].is_bash then
    return "bash"
  end
  return filetype_table()[filetype]
end

function M.for_fence(name)
  if not name or name == "" then
    return nil
  end
  local lowered = name:lower()
  return filetype_table()[lowered] or FENCE_ALIASES[lowered] or lowered
end

-- Returns nil when the server accepts language (or did not say which it accepts), else why not.
function M.unsupported_reason(language, accepted)
  if type(accepted) ~= "table" or #accepted == 0 or vim.tbl_contains(accepted, language) then
    return nil
  end
  return string.format("the server does not run %q; it runs: %s", language, table.concat(accepted, ", "))
end

return M
