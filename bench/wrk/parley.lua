-- parley.lua - the one wrk script of bench/run.sh (issue 8).
--
-- Each request carries the next bearer token of a list (many viewers, not
-- one), asks the next path of a list (many tags, posts, queries), and, in
-- the mixed workload, every Nth request is a post instead of a read. At
-- the end it appends one JSON line with the figures to a file.
--
-- Environment (all optional but BENCH_OUT):
--   BENCH_TOKENS       file, one access token a line (none: no Authorization)
--   BENCH_PATHS        file, one path a line, rotated (none: the URL's path);
--                      a line "PATH TOKEN" is asked with that token (a reader
--                      who may read it: a member of its space), not the
--                      next of BENCH_TOKENS
--   BENCH_POST         1: every request is POST /api/v1/statuses
--   BENCH_WRITE_EVERY  N > 0: every Nth request is a POST (50:1 is 51)
--   BENCH_NAME         the row's name in the JSON line
--   BENCH_OUT          file the JSON line is appended to
-- Usage: BENCH_OUT=f wrk -t2 -c64 -d10s -s bench/wrk/parley.lua URL
-- Each wrk thread runs its own copy of this script (its own lists and
-- counters), starting at a different place in the lists.

local tokens, paths, path_tokens = {}, {}, {}
local ti, pi, n = 0, 0, 0
local post_all = os.getenv("BENCH_POST") == "1"
local write_every = tonumber(os.getenv("BENCH_WRITE_EVERY") or "0") or 0

local function read_lines(name, into)
	local file = os.getenv(name)
	if not file or file == "" then
		return
	end
	local f = assert(io.open(file, "r"), "cannot open " .. file)
	for line in f:lines() do
		if #line > 0 then
			into[#into + 1] = line
		end
	end
	f:close()
end

local counter = 0
function setup(thread)
	counter = counter + 1
	thread:set("thread_tag", tostring(counter))
end

function init(args)
	read_lines("BENCH_TOKENS", tokens)
	read_lines("BENCH_PATHS", paths)
	for i, line in ipairs(paths) do
		local path, tok = line:match("^(%S+)%s+(%S+)$")
		if path then
			paths[i] = path
			path_tokens[i] = tok
		end
	end
	-- thread_tag is a global set by setup() in the main state
	thread_tag = thread_tag or "0"
	math.randomseed(os.time() * 100 + tonumber(thread_tag))
	if #tokens > 0 then ti = math.random(#tokens) end
	if #paths > 0 then pi = math.random(#paths) end
end

local function headers(token)
	local h = {}
	if token then
		h["Authorization"] = "Bearer " .. token
	elseif #tokens > 0 then
		ti = ti % #tokens + 1
		h["Authorization"] = "Bearer " .. tokens[ti]
	end
	return h
end

local function post()
	local h = headers()
	h["Content-Type"] = "application/x-www-form-urlencoded"
	local body = "visibility=organisation&status=Benchmark+post+" .. thread_tag .. "-" .. n ..
		"+about+the+release+%23benchmark"
	return wrk.format("POST", "/api/v1/statuses", h, body)
end

function request()
	n = n + 1
	if post_all or (write_every > 0 and n % write_every == 0) then
		return post()
	end
	local path, token = nil, nil
	if #paths > 0 then
		pi = pi % #paths + 1
		path = paths[pi]
		token = path_tokens[pi]
	end
	return wrk.format("GET", path, headers(token))
end

function done(summary, latency, requests)
	local out = os.getenv("BENCH_OUT")
	if not out then
		return
	end
	local f = assert(io.open(out, "a"))
	local e = summary.errors
	f:write(string.format(
		'{"name": "%s", "requests": %d, "duration_us": %d, "rps": %.1f, "p50_us": %d, "p99_us": %d, ' ..
		'"max_us": %d, "non2xx": %d, "connect_errors": %d, "read_errors": %d, "write_errors": %d, ' ..
		'"timeouts": %d, "bytes": %d}\n',
		os.getenv("BENCH_NAME") or "", summary.requests, summary.duration,
		summary.requests / (summary.duration / 1e6), latency:percentile(50), latency:percentile(99),
		latency.max, e.status, e.connect, e.read, e.write, e.timeout, summary.bytes))
	f:close()
end
