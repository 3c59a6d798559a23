-- tokens.lua - wrk script: each request carries the next bearer token of a
-- list, so a run reads as many viewers as the list holds, not one.
--
-- Environment: BENCH_TOKENS, a file with one access token a line.
-- Usage: BENCH_TOKENS=FILE wrk -s bench/tokens.lua URL
-- The path and query come from URL, as with plain wrk. Each wrk thread
-- starts at a different place in the list.

local tokens = {}
local i = 0

function init(args)
	local f = assert(io.open(os.getenv("BENCH_TOKENS"), "r"))
	for line in f:lines() do
		if #line > 0 then
			tokens[#tokens + 1] = line
		end
	end
	f:close()
	assert(#tokens > 0, "no tokens in BENCH_TOKENS")
	i = math.random(#tokens)
end

function request()
	i = i % #tokens + 1
	return wrk.format(nil, nil, { ["Authorization"] = "Bearer " .. tokens[i] })
end
