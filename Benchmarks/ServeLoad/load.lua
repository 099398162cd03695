-- wrk script for Benchmarks/ServeLoad: one connection per wrk thread, each a staff member
-- signed in with their own session cookie and CSRF token, mixing page views and request
-- submissions. Run by run.py as
--   wrk -t50 -c50 -d60s --timeout 30s -s load.lua http://127.0.0.1:PORT
-- with SESSIONS (a file of "staff cookie csrf" lines, the first line the scheduler's
-- "scheduler cookie -"), STUDENTS (a file of student ids) and RESULT (where to write
-- the counts) in the environment.
--
-- Each client repeats a cycle of ten requests: 4 x GET /day (My day), 3 x GET /requests
-- (My requests), 1 x GET /status (the scheduler's morning status, with the scheduler's
-- cookie) and 2 x POST /requests (a new request, each with a unique note). wrk sends one
-- request at a time on a connection, so each response belongs to the request sent last.

local threads = {}
local counter = 0

local function lines(path)
  local out = {}
  for line in io.lines(path) do
    if line ~= "" then out[#out + 1] = line end
  end
  return out
end

local function words(line)
  local out = {}
  for word in line:gmatch("%S+") do out[#out + 1] = word end
  return out
end

function setup(thread)
  local sessions = lines(os.getenv("SESSIONS"))
  local scheduler = words(sessions[1])
  counter = counter + 1
  local mine = words(sessions[1 + ((counter - 1) % (#sessions - 1)) + 1])
  thread:set("client", counter)
  thread:set("staff", mine[1])
  thread:set("cookie", mine[2])
  thread:set("csrf", mine[3])
  thread:set("scheduler_cookie", scheduler[2])
  thread:set("students_path", os.getenv("STUDENTS"))
  threads[#threads + 1] = thread
end

local cycle = { "day", "requests", "day", "post", "requests", "day", "status", "requests", "day", "post" }
local step = 0
local posts = 0
pending = nil
pending_note = nil
local students = nil
-- Counts by kind of request and by outcome; the notes of the submissions answered 303.
sent = { day = 0, requests = 0, status = 0, post = 0 }
ok = { day = 0, requests = 0, status = 0, post = 0 }
bad = { day = 0, requests = 0, status = 0, post = 0 }
ok_notes = ""

function init(args)
  students = lines(students_path)
end

local function form_escape(text)
  return (text:gsub("[^%w%-%._]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function request()
  step = step + 1
  local kind = cycle[((step - 1) % #cycle) + 1]
  pending = kind
  sent[kind] = sent[kind] + 1
  local headers = { ["Cookie"] = "regroup_session=" .. cookie }
  if kind == "day" then
    return wrk.format("GET", "/day", headers)
  elseif kind == "requests" then
    return wrk.format("GET", "/requests", headers)
  elseif kind == "status" then
    return wrk.format("GET", "/status", { ["Cookie"] = "regroup_session=" .. scheduler_cookie })
  end
  posts = posts + 1
  local student = students[((client * 37 + posts) % #students) + 1]
  pending_note = "load-c" .. client .. "-n" .. posts
  local body = "_csrf=" .. form_escape(csrf) .. "&student=" .. form_escape(student)
    .. "&block=&priority=normal&date=&note=" .. form_escape(pending_note)
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  return wrk.format("POST", "/requests", headers, body)
end

function response(status, headers, body)
  local kind = pending
  if kind == nil then return end
  local good = (kind == "post" and status == 303) or (kind ~= "post" and status == 200)
  if good then
    ok[kind] = ok[kind] + 1
    if kind == "post" then ok_notes = ok_notes .. pending_note .. "\n" end
  else
    bad[kind] = bad[kind] + 1
  end
  pending = nil
end

function done(summary, latency, requests)
  local totals = { sent = {}, ok = {}, bad = {} }
  local notes = {}
  local inflight = {}
  for _, kind in ipairs({ "day", "requests", "status", "post" }) do
    totals.sent[kind] = 0
    totals.ok[kind] = 0
    totals.bad[kind] = 0
  end
  for _, thread in ipairs(threads) do
    for _, kind in ipairs({ "day", "requests", "status", "post" }) do
      totals.sent[kind] = totals.sent[kind] + thread:get("sent")[kind]
      totals.ok[kind] = totals.ok[kind] + thread:get("ok")[kind]
      totals.bad[kind] = totals.bad[kind] + thread:get("bad")[kind]
    end
    notes[#notes + 1] = thread:get("ok_notes")
    -- A submission sent but not answered when the run stopped may or may not be stored.
    if thread:get("pending") == "post" then inflight[#inflight + 1] = thread:get("pending_note") end
  end
  local out = io.open(os.getenv("RESULT"), "w")
  out:write(string.format("requests %d\n", summary.requests))
  out:write(string.format("duration_us %d\n", summary.duration))
  out:write(string.format("errors_connect %d\n", summary.errors.connect))
  out:write(string.format("errors_read %d\n", summary.errors.read))
  out:write(string.format("errors_write %d\n", summary.errors.write))
  out:write(string.format("errors_status %d\n", summary.errors.status))
  out:write(string.format("errors_timeout %d\n", summary.errors.timeout))
  for _, p in ipairs({ 50, 90, 99, 99.9 }) do
    out:write(string.format("latency_p%s_us %d\n", tostring(p), latency:percentile(p)))
  end
  out:write(string.format("latency_max_us %d\n", latency.max))
  out:write(string.format("latency_mean_us %.1f\n", latency.mean))
  for _, kind in ipairs({ "day", "requests", "status", "post" }) do
    out:write(string.format("sent_%s %d\nok_%s %d\nbad_%s %d\n", kind, totals.sent[kind], kind,
      totals.ok[kind], kind, totals.bad[kind]))
  end
  for _, note in ipairs(inflight) do out:write("inflight " .. note .. "\n") end
  out:write("notes\n")
  for _, block in ipairs(notes) do out:write(block) end
  out:close()
end
