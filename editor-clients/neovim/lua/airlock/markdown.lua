-- Finds the fenced code block (``` or ~~~, CommonMark rules) that holds a given line of a Markdown text.
local M = {}

local function opening_fence(line)
  local indent, fence, info = line:match("^( *)(```+)([^`]*)$")
  if not fence then
    indent, fence, info = line:match("^( *)(~~~+)(.*)$")
  end
  if not fence or #indent > 3 then
    return nil
  end
  return { char = fence:sub(1, 1), length = #fence, info = vim.trim(info) }
end

local function closes(line, fence)
  local indent, run = line:match("^( *)(" .. fence.char .. "+)%s*$")
  return run ~= nil and #indent <= 3 and #run >= fence.length
end

local function block(fence, last)
  -- "python", "python title=x" and Pandoc's "{.python}" all name the language first.
  local language = fence.info:match("^{?%.?([%w_+#-]+)")
  return { info = fence.info, language = language, first = fence.row + 1, last = last }
end

-- lines: list of strings; row: 1-based line number. Returns nil when row is outside every block, else
-- { info = "python ...", language = "python", first = <1-based first body line>, last = <1-based last body line> }
-- (an empty block has last == first - 1). A block left open runs to the end of the text.
function M.block_at(lines, row)
  local open = nil
  for index, line in ipairs(lines) do
    if open then
      if closes(line, open) then
        if row >= open.row and row <= index then
          return block(open, index - 1)
        end
        open = nil
      end
    else
      local fence = opening_fence(line)
      if fence then
        fence.row = index
        open = fence
      end
    end
  end
  if open and row >= open.row then
    return block(open, #lines)
  end
  return nil
end

return M
