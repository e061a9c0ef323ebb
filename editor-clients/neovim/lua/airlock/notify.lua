-- Messages to the user, prefixed so they are recognisable among other plugins' messages. They are
-- shown from the event loop: an error message shown while a command runs would otherwise turn into
-- an exception in whatever Lua code called that command.
local M = {}

local function say(level)
  return function(message)
    vim.schedule(function()
      vim.notify("airlock: " .. message, level)
    end)
  end
end

M.error = say(vim.log.levels.ERROR)
M.warn = say(vim.log.levels.WARN)
M.info = say(vim.log.levels.INFO)

return M
