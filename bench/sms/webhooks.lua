-- wrk script: Kannel inbound webhooks (GET get-url), each with its own gateway id.
-- Every phone texts the poll's keyword, then answers its two questions, so the
-- conversation engine runs on every message.
local counter = 0
local threads = {}
local next_tid = 0
tid = 0

function setup(thread)
  thread:set("tid", next_tid)
  next_tid = next_tid + 1
  table.insert(threads, thread)
end

local texts = { "ROADS", "1", "4" }

function request()
  counter = counter + 1
  local phone = 923000000000 + tid * 10000000 + math.floor(counter / 3)
  local text = texts[(counter % 3) + 1]
  local path = string.format("%s?id=b%d-%d&from=%d&text=%s", base, tid, counter, phone, text)
  return wrk.format("GET", path)
end

function init(args)
  base = args[1]
end
