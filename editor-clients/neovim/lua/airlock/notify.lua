-- Messages to the user, all prefixed so they are recognisable among other plugins' messages.
local M = {}

local function say(level)
  return function(message)
    vim.notify("airlock: " .. message, level)
  end
end

M.error = say(vim.log.levels.ERROR)
M.warn = say(vim.log.levels.WARN)
M.info = say(vim.log.levels.INFO)

return M
