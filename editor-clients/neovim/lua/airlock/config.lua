-- User options, merged over defaults once by setup().
local M = {}

M.defaults = {
  -- argv that starts the server; it must speak Airlock's protocol on stdio.
  cmd = { "airlock", "serve" },
  -- Extra environment for the server process.
  cmd_env = nil,
  -- Workspace folder of a run: a path, or a function(bufnr) -> path. When nil, the nearest
  -- parent folder holding one of root_markers, else the current directory.
  root_dir = nil,
  root_markers = { ".git", ".airlock" },
  -- Passed to the server as they are (see the protocol's sandbox/execute): e.g.
  -- policy = { workspace = "overlay", network = "none" }, limits = { timeoutMs = 30000 }.
  policy = {},
  limits = {},
  env = {},
  -- Keep the program's stdin open so :AirlockInput can write to it (when the server supports it).
  interactive = true,
  -- filetype -> language name the server knows, added to or overriding the built-in table.
  languages = {},
  output = {
    -- Show the output window when a run starts.
    open_on_run = true,
    -- Where the output split goes: any :split modifier.
    position = "botright",
    height = 12,
  },
  -- Options for vim.diagnostic.config() in Airlock's namespace.
  diagnostics = {},
}

M.options = vim.deepcopy(M.defaults)

function M.apply(user_options)
  M.options = vim.tbl_deep_extend("force", vim.deepcopy(M.defaults), user_options or {})
  return M.options
end

return M
