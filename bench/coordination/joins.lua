-- wrk script: Kannel inbound webhooks (GET get-url), each with its own gateway id.
-- Every phone texts JOIN <code> twice (the gateway retrying, or the person
-- repeating): the second must change nothing, so the joins stored must equal the
-- phones that texted.
local counter = 0
local threads = {}
local next_tid = 0
tid = 0
local codes = {}

function setup(thread)
  thread:set("tid", next_tid)
  next_tid = next_tid + 1
  table.insert(threads, thread)
end

function init(args)
  base = args[1]
  for line in io.lines(args[2]) do
    if line ~= "" then table.insert(codes, line) end
  end
end

function request()
  counter = counter + 1
  local n = math.floor(counter / 2)
  local phone = 923000000000 + tid * 10000000 + n
  local code = codes[(n % #codes) + 1]
  local path = string.format("%s?id=j%d-%d&from=%d&text=JOIN%%20%s", base, tid, counter, phone, code)
  return wrk.format("GET", path)
end
