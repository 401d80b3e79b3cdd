-- wrk script: Kannel inbound webhooks (GET get-url), each with its own gateway id.
-- Every phone texts "SIGN D<nn>" twice (the gateway retrying, or the person
-- repeating): the second must not count, so the signers stored must equal the
-- phones that texted.
local counter = 0
local next_tid = 0
tid = 0

function setup(thread)
  thread:set("tid", next_tid)
  next_tid = next_tid + 1
end

function init(args)
  base = args[1]
end

function request()
  counter = counter + 1
  local n = math.floor(counter / 2)
  local phone = 923000000000 + tid * 10000000 + n
  local path = string.format("%s?id=p%d-%d&from=%d&text=SIGN%%20D%02d", base, tid, counter, phone, n % 50)
  return wrk.format("GET", path)
end
