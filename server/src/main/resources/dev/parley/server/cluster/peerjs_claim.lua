-- A PeerJS client connected to a node with an id and a token. ARGV: prefix, node, id, token.
-- Returns FREE (nobody held it), REATTACHED (a client with the same token held it, maybe on another
-- node, which is told to close it) or TAKEN (a client with another token holds it: nothing changes).
local node, id, token = ARGV[2], ARGV[3], ARGV[4]
local current = redis.call('HGET', p .. 'peerjs', id)
if current then
  local holder, held = string.match(current, '^([^\n]*)\n(.*)$')
  if held ~= token then
    return 'TAKEN'
  end
  if holder ~= node then
    redis.call('SREM', p .. 'peerjs:' .. holder, id)
    redis.call('PUBLISH', p .. 'node:' .. holder, 'K\n' .. id)
  end
end
redis.call('HSET', p .. 'peerjs', id, node .. '\n' .. token)
redis.call('SADD', p .. 'peerjs:' .. node, id)
redis.call('PUBLISH', p .. 'presence', 'C\n' .. id .. '\n' .. node)
if current then
  return 'REATTACHED'
end
return 'FREE'
