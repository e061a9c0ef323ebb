-- Turns a program's terminal output into plain buffer text: escape sequences (colours, cursor
-- movement, window titles) and stray control bytes are removed, carriage returns become newlines.
-- Output arrives in chunks, so a sequence cut at a chunk's end is held back until the next chunk.
local M = {}

-- A held-back tail longer than this is not an escape sequence worth waiting for.
local MAX_PENDING = 256

local COMPLETE_SEQUENCES = {
  "\27%[[0-?]*[ -/]*[@-~]", -- CSI: colours, cursor and erase commands
  "\27%][^\7\27]*\7", -- OSC ended by BEL: titles, hyperlinks
  "\27%][^\7\27]*\27\\", -- OSC ended by ST
  "\27[P_^X][^\27]*\27\\", -- DCS, APC, PM, SOS strings
  "\27[ -/]*[0-~]", -- two-byte and nF escapes
}

local INCOMPLETE_TAILS = {
  "^\27$",
  "^\27%[[0-?]*[ -/]*$",
  "^\27%][^\7\27]*$",
  "^\27[P_^X][^\27]*$",
  "^\27[ -/]+$",
}

local function is_incomplete(tail)
  if #tail > MAX_PENDING then
    return false
  end
  for _, pattern in ipairs(INCOMPLETE_TAILS) do
    if tail:find(pattern) then
      return true
    end
  end
  return false
end

local function last_index_of_escape(text)
  local index = nil
  local from = 1
  while true do
    local found = text:find("\27", from, true)
    if not found then
      return index
    end
    index, from = found, found + 1
  end
end

function M.new_stream()
  return { pending = "" }
end

-- Returns the plain text of chunk; a trailing incomplete sequence (or CR that may start a CRLF)
-- stays in stream for the next call.
function M.strip(stream, chunk)
  local text = stream.pending .. chunk
  stream.pending = ""
  local escape_at = last_index_of_escape(text)
  if escape_at and is_incomplete(text:sub(escape_at)) then
    stream.pending = text:sub(escape_at)
    text = text:sub(1, escape_at - 1)
  elseif text:sub(-1) == "\r" then
    stream.pending = "\r"
    text = text:sub(1, -2)
  end
  for _, pattern in ipairs(COMPLETE_SEQUENCES) do
    text = text:gsub(pattern, "")
  end
  text = text:gsub("\r\n", "\n"):gsub("\r", "\n")
  return (text:gsub("[%z\1-\8\11\12\14-\31\127]", ""))
end

-- What is left when the stream ends: a lone CR is a line end, an unfinished sequence is dropped.
function M.finish(stream)
  local rest = stream.pending == "\r" and "\n" or ""
  stream.pending = ""
  return rest
end

return M
