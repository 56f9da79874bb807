-- A PeerJS client left its node. ARGV: prefix, node, id, token.
-- Frees the id only if that client still holds it there.
local node, id, token = ARGV[2], ARGV[3], ARGV[4]
if redis.call('HGET', p .. 'peerjs', id) ~= node .. '\n' .. token then
  return 0
end
redis.call('HDEL', p .. 'peerjs', id)
redis.call('SREM', p .. 'peerjs:' .. node, id)
redis.call('PUBLISH', p .. 'presence', 'F\n' .. id .. '\n' .. node)
return 1
